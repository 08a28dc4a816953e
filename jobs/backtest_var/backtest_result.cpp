#include "jobs/backtest_var/backtest_result.h"

#include "jobs/backtest_var/network_forecast.h"
#include "jobs/backtest_var/var_levels.h"
#include "models/var/ewma.h"
#include "models/var/mixture_quantile.h"
#include "stats/backtest.h"
#include "stats/scoring.h"
#include "stats/volatility_response.h"

namespace riskstep {

namespace {

// Appends one row (one level) to a table whose columns are made on first use.
class RowWriter {
 public:
  explicit RowWriter(Table& table) : table_(table) {}
  template <typename V>
  void operator()(const std::string& name, V value) {
    if (!table_.has(name)) {
      table_.names.push_back(name);
      table_.columns.push_back(std::vector<V>{});
    }
    for (size_t i = 0; i < table_.names.size(); ++i)
      if (table_.names[i] == name) std::get<std::vector<V>>(table_.columns[i]).push_back(value);
  }

 private:
  Table& table_;
};

// Beyond the VaR tests: how the VaR follows volatility, and the mean scores (scoring.h).
struct ForecastScores {
  double vol_slope = 0.0, tick_loss = 0.0, fz0_loss = 0.0;
};

double mean_of(const std::vector<double>& values) {
  double sum = 0.0;
  for (double value : values) sum += value;
  return values.empty() ? 0.0 : sum / double(values.size());
}

void add_var_statistics(const BacktestResult& stats, const ForecastScores& scores,
                        RowWriter append) {
  append("level", stats.level);
  append("days", stats.days);
  append("hits", stats.hits);
  append("hit_rate", stats.hit_rate);
  append("n00", stats.n00);
  append("n01", stats.n01);
  append("n10", stats.n10);
  append("n11", stats.n11);
  append("lr_uc", stats.lr_uc);
  append("p_uc", stats.p_uc);
  append("lr_ind", stats.lr_ind);
  append("p_ind", stats.p_ind);
  append("lr_cc", stats.lr_cc);
  append("p_cc", stats.p_cc);
  append("pass_uc", int64_t{stats.p_uc >= 0.05});
  append("pass_ind", int64_t{stats.p_ind >= 0.05});
  append("pass_cc", int64_t{stats.p_cc >= 0.05});
  append("traffic_light", stats.traffic_light);
  append("volatility_correlation", stats.volatility_correlation);
  append("vol_slope", scores.vol_slope);
  append("tick_loss", scores.tick_loss);
  append("fz0_loss", scores.fz0_loss);
  append("dq_stat", stats.dq_stat);
  append("dq_p", stats.dq_p);
}

void add_tail_statistics(const TailBacktestResult& tail, RowWriter append) {
  append("es_mean", tail.es_mean);
  append("z2", tail.z2);
  append("p_z2", tail.p_z2);
  append("pass_z2", int64_t{tail.p_z2 >= 0.05});
  append("exceedances", tail.exceedances);
  append("mf_mean_residual", tail.mean_residual);
  append("mf_stat", tail.mf_statistic);
  append("p_mf", tail.p_mf);
  append("pass_mf", int64_t{tail.p_mf >= 0.05});
  append("duration_b", tail.duration_b);
  append("lr_duration", tail.lr_duration);
  append("p_duration", tail.p_duration);
  append("p_duration_mc", tail.p_duration_mc);
  if (!tail.has_mc_coverage) return;
  append("p_uc_mc", tail.p_uc_mc);
  append("p_ind_mc", tail.p_ind_mc);
  append("p_cc_mc", tail.p_cc_mc);
}

Result backtest_result(const BacktestInput& input, const VarForecast& forecast,
                       const MixtureForecast& mixture, int64_t seed,
                       const std::vector<uint64_t>& simulation_seeds) {
  const ReturnSeries& returns = input.market.returns;
  const TestWindow& window = input.window;
  Result result;
  result.attributes["index"] = input.index;
  result.attributes["period"] = input.period.name;
  result.attributes["model"] = input.model;
  result.attributes["data_source"] = input.market.source;
  result.attributes["test_first_date"] = returns.dates[window.first];
  result.attributes["test_last_date"] = returns.dates[window.last - 1];
  result.attributes["estimation_window"] = static_cast<int64_t>(input.estimation_window);
  for (const auto& [name, value] : forecast.info) result.attributes["model_" + name] = value;
  for (const auto& [name, values] : forecast.series) result.columns["model/" + name] = values;

  std::vector<std::string> dates(returns.dates.begin() + window.first,
                                 returns.dates.begin() + window.last);
  std::vector<double> losses;
  for (size_t t = window.first; t < window.last; ++t) losses.push_back(-returns.returns[t]);
  result.columns["dates"] = dates;
  result.columns["loss"] = losses;

  // The RiskMetrics volatility known at t - 1, to measure how VaR follows it (vol_slope).
  const std::vector<double> ewma = ewma_sigma(returns.returns, 0.94);
  const std::vector<double> test_sigma(ewma.begin() + window.first, ewma.begin() + window.last);
  TailBacktestOptions options;
  options.monte_carlo.simulations = input.settings.simulations;
  options.monte_carlo_coverage = input.settings.mc_coverage;
  for (size_t i = 0; i < input.levels.size(); ++i) {
    const std::string suffix = format_level(input.levels[i]);
    const TailForecast tail =
        tail_forecast(input.model, returns.returns, window.first, window.last,
                      input.estimation_window, forecast, mixture, input.levels[i]);
    options.monte_carlo.seed = simulation_seeds.at(i);
    const BacktestResult stats = backtest(losses, forecast.var[i], input.levels[i]);
    const TailBacktestResult tail_stats =
        tail_backtest(losses, forecast.var[i], input.levels[i], tail, options);
    result.columns["var_" + suffix] = forecast.var[i];
    result.columns["es_" + suffix] = tail.es;
    result.columns["hit_" + suffix] = hits(losses, forecast.var[i]);
    const std::vector<double> tick = tick_losses(losses, forecast.var[i], input.levels[i]);
    const std::vector<double> fz0 = fz0_losses(losses, forecast.var[i], tail.es, input.levels[i]);
    const ForecastScores scores{log_log_slope(forecast.var[i], test_sigma), mean_of(tick),
                                mean_of(fz0)};
    result.columns["tick_" + suffix] = tick;
    result.columns["fz0_" + suffix] = fz0;
    add_var_statistics(stats, scores, RowWriter(result.tables["backtest"]));
    add_tail_statistics(tail_stats, RowWriter(result.tables["backtest"]));

    Table row;
    row.add("index", std::vector<std::string>{input.index})
        .add("period", std::vector<std::string>{input.period.name})
        .add("model", std::vector<std::string>{input.model})
        .add("seed", std::vector<int64_t>{seed});
    add_var_statistics(stats, scores, RowWriter(row));
    add_tail_statistics(tail_stats, RowWriter(row));
    result.summary.append_rows(row);
  }
  return result;
}

}  // namespace

Result classical_result(const BacktestInput& input, const VarForecast& forecast,
                        const std::vector<uint64_t>& simulation_seeds) {
  return backtest_result(input, forecast, MixtureForecast{}, input.settings.seed, simulation_seeds);
}

Result network_result(const BacktestInput& input, const MdnMemberResult& member, int64_t seed,
                      const std::vector<uint64_t>& simulation_seeds) {
  const auto k = static_cast<size_t>(member.components);
  VarForecast forecast;
  forecast.levels = input.levels;
  for (double level : input.levels)
    forecast.var.push_back(mixture_var(member.mu, member.sigma, member.pi, k, level));
  const MixtureForecast mixture{member.mu, member.sigma, member.pi, k};
  Result result = backtest_result(input, forecast, mixture, seed, simulation_seeds);
  const size_t days = input.window.size();
  std::vector<std::string> component_names;
  for (size_t j = 1; j <= k; ++j) component_names.push_back("k" + std::to_string(j));
  result.matrices["mixture/mu"] = Matrix{days, k, member.mu, component_names};
  result.matrices["mixture/sigma"] = Matrix{days, k, member.sigma, component_names};
  result.matrices["mixture/pi"] = Matrix{days, k, member.pi, component_names};
  Table history;
  history.add("epoch", member.epoch).add("fit", member.fit).add("train_loss", member.train_loss);
  // mdn_validation = none trains without a validation block: no validation loss to show.
  if (input.settings.mdn_validation != "none") history.add("val_loss", member.val_loss);
  result.tables["history"] = history;
  std::vector<int64_t> fit_numbers;
  std::vector<std::string> last_training_date;
  for (size_t f = 0; f < member.last_target.size(); ++f) {
    fit_numbers.push_back(static_cast<int64_t>(f));
    last_training_date.push_back(input.market.returns.dates[size_t(member.last_target[f])]);
  }
  Table fits;
  fits.add("fit", fit_numbers)
      .add("best_epoch", member.best_epoch)
      .add("train_scale", member.train_scale)
      .add("last_training_date", last_training_date);
  result.tables["fits"] = fits;
  const std::string protocol = network_protocol(input.settings);
  result.attributes["network_seed"] = static_cast<int64_t>(member.seed);
  result.attributes["epochs_trained"] = static_cast<int64_t>(member.epochs_trained);
  result.attributes["fits"] = static_cast<int64_t>(member.fits);
  result.attributes["protocol"] = protocol;
  result.attributes["nonfinite_loss"] = static_cast<int64_t>(member.nonfinite_loss);
  result.attributes["collapsed"] = static_cast<int64_t>(member.collapsed);
  result.attributes["failure"] = member.failure;
  result.attributes["train_seconds"] = member.train_seconds;
  const size_t rows = result.summary.rows();
  result.summary.add("collapsed", std::vector<int64_t>(rows, member.collapsed))
      .add("nonfinite_loss", std::vector<int64_t>(rows, member.nonfinite_loss))
      .add("epochs_trained", std::vector<int64_t>(rows, member.epochs_trained))
      .add("protocol", std::vector<std::string>(rows, protocol))
      .add("train_seconds", std::vector<double>(rows, member.train_seconds));
  return result;
}

}  // namespace riskstep
