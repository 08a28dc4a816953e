#include "jobs/backtest_var.h"

#include <set>
#include <stdexcept>

#include "jobs/market_data.h"
#include "jobs/var_levels.h"
#include "models/backtest/backtest.h"
#include "models/var/cmm.h"
#include "models/var/garch.h"
#include "models/var/historical_simulation.h"

namespace riskstep {
namespace {

const std::set<std::string> kClassicalModels = {"hs", "cmm", "garch"};
const std::set<std::string> kNetworkModels = {"mdn2", "mdn2reg", "mdn3"};

GarchDistribution garch_distribution(const Task& task) {
  const std::string name = param_string_or(task, "garch_dist", "ged");
  return name == "auto" ? GarchDistribution::automatic : parse_garch_distribution(name);
}

VarForecast forecast_classical(const std::string& model, const ReturnSeries& series,
                               const TestWindow& window, const std::vector<double>& levels,
                               size_t estimation_window, const Task& task) {
  if (model == "hs")
    return forecast_historical_simulation(series.returns, window.first, window.last, levels,
                                          estimation_window);
  if (model == "cmm")
    return forecast_cmm(series.returns, window.first, window.last, levels, estimation_window);
  GarchOptions options;
  options.distribution = garch_distribution(task);
  options.window = estimation_window;
  return forecast_garch(series.returns, window.first, window.last, levels, options);
}

void add_backtest_rows(const BacktestResult& stats, Table& table) {
  auto append = [&](const std::string& name, auto value) {
    using V = decltype(value);
    if (!table.has(name)) {
      table.names.push_back(name);
      table.columns.push_back(std::vector<V>{});
    }
    for (size_t i = 0; i < table.names.size(); ++i)
      if (table.names[i] == name) std::get<std::vector<V>>(table.columns[i]).push_back(value);
  };
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
  append("dq_stat", stats.dq_stat);
  append("dq_p", stats.dq_p);
  append("pinball_loss", stats.pinball_loss);
}

}  // namespace

bool is_network_model(const std::string& model) { return kNetworkModels.count(model) > 0; }

void BacktestVarJob::validate(const Task& task) const {
  const std::string model = param_string(task, "model");
  if (!kClassicalModels.count(model) && !kNetworkModels.count(model))
    throw std::invalid_argument("task " + task.id + ": model '" + model +
                                "' is not one of hs, cmm, garch, mdn2, mdn2reg, mdn3");
  param_string(task, "index");
  parse_period(param_string(task, "period"));
  task_levels(task);
  if (param_int_or(task, "window", 251) < 2)
    throw std::invalid_argument("task " + task.id + ": window must be at least 2");
  if (task.params.count("garch_dist")) garch_distribution(task);
}

Result BacktestVarJob::run(const Task& task, const TaskContext& /*context*/) {
  validate(task);
  const std::string model = param_string(task, "model");
  const std::string index = param_string(task, "index");
  const TestPeriod period = parse_period(param_string(task, "period"));
  const std::vector<double> levels = task_levels(task);
  const auto estimation_window = static_cast<size_t>(param_int_or(task, "window", 251));

  const MarketData market = load_market_data(task);
  const TestWindow window = select_test_window(market.returns, period, estimation_window);

  Result result;
  result.attributes["index"] = index;
  result.attributes["period"] = period.name;
  result.attributes["model"] = model;
  result.attributes["data_source"] = market.source;
  result.attributes["input_sha256"] = market.input_sha256;
  result.attributes["test_first_date"] = market.returns.dates[window.first];
  result.attributes["test_last_date"] = market.returns.dates[window.last - 1];
  result.attributes["estimation_window"] = static_cast<int64_t>(estimation_window);

  VarForecast forecast;
  if (kClassicalModels.count(model)) {
    forecast = forecast_classical(model, market.returns, window, levels, estimation_window, task);
  } else {
    throw std::invalid_argument("model '" + model + "' needs the LSTM-MDN build (not yet bound)");
  }
  for (const auto& [name, value] : forecast.info) result.attributes["model_" + name] = value;
  for (const auto& [name, values] : forecast.series) result.columns["model/" + name] = values;

  std::vector<std::string> dates(market.returns.dates.begin() + window.first,
                                 market.returns.dates.begin() + window.last);
  std::vector<double> losses;
  for (size_t t = window.first; t < window.last; ++t) losses.push_back(-market.returns.returns[t]);
  result.columns["dates"] = dates;
  result.columns["loss"] = losses;

  const int64_t seed = param_int_or(task, "seed", -1);
  for (size_t i = 0; i < levels.size(); ++i) {
    const std::string suffix = format_level(levels[i]);
    result.columns["var_" + suffix] = forecast.var[i];
    result.columns["hit_" + suffix] = hits(losses, forecast.var[i]);
    const BacktestResult stats = backtest(losses, forecast.var[i], levels[i]);
    add_backtest_rows(stats, result.tables["backtest"]);

    Table row;
    row.add("index", std::vector<std::string>{index})
        .add("period", std::vector<std::string>{period.name})
        .add("model", std::vector<std::string>{model})
        .add("seed", std::vector<int64_t>{seed});
    add_backtest_rows(stats, row);
    result.summary.append_rows(row);
  }
  return result;
}

}  // namespace riskstep
