#include "jobs/backtest_var/backtest_var.h"

#include <filesystem>
#include <regex>
#include <stdexcept>

#include "jobs/backtest_var/backtest_settings.h"
#include "jobs/backtest_var/market_data.h"
#include "jobs/backtest_var/var_levels.h"
#include "jobs/backtest_var/var_table.h"
#include "models/backtest/backtest.h"
#include "models/var/cmm.h"
#include "models/var/garch.h"
#include "models/var/historical_simulation.h"
#include "models/var/mdn/mdn_ensemble.h"
#include "models/var/mixture_quantile.h"

namespace riskstep {
namespace {

GarchDistribution garch_distribution(const BacktestSettings& s) {
  return s.garch_dist == "auto" ? GarchDistribution::automatic
                                : parse_garch_distribution(s.garch_dist);
}

// "study": s2_1 = mean(e^2) as the study states; "fgarch": R fGarch's start, which the thesis
// author's numbers were computed with (reproduces them to ~2e-7, docs/models.md).
InitialVariance garch_start(const BacktestSettings& s) {
  return s.garch_start == "fgarch" ? InitialVariance::fgarch : InitialVariance::mean_square;
}

VarForecast forecast_classical(const std::string& model, const ReturnSeries& series,
                               const TestWindow& window, const std::vector<double>& levels,
                               size_t estimation_window, const BacktestSettings& settings) {
  if (model == "hs")
    return forecast_historical_simulation(series.returns, window.first, window.last, levels,
                                          estimation_window);
  if (model == "cmm")
    return forecast_cmm(series.returns, window.first, window.last, levels, estimation_window);
  GarchOptions options;
  options.distribution = garch_distribution(settings);
  options.window = estimation_window;
  options.fit.initial_variance = garch_start(settings);
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

// Everything a task needs, read and parsed once.
struct BacktestInput {
  BacktestSettings settings;
  std::string model, index;
  TestPeriod period;
  std::vector<double> levels;
  size_t estimation_window = 251;
  MarketData market;
  TestWindow window;
};

BacktestInput load_input(const Task& task) {
  BacktestInput input;
  input.settings = backtest_settings().read(task);
  const BacktestSettings& s = input.settings;
  input.model = s.model;
  input.index = s.index;
  input.period = parse_period(s.period);
  input.levels = parse_levels(s.levels);
  input.estimation_window = static_cast<size_t>(s.window);
  input.market = load_market_data(s);
  input.window = select_test_window(input.market.returns, input.period, input.estimation_window);
  return input;
}

// Everything a backtest task stores, given the model's per-day VaR at each level.
// `seed`: the network replicate number (-1 for classical models), a summary column.
Result backtest_result(const BacktestInput& input, const VarForecast& forecast, int64_t seed) {
  const ReturnSeries& returns = input.market.returns;
  const TestWindow& window = input.window;
  Result result;
  result.attributes["index"] = input.index;
  result.attributes["period"] = input.period.name;
  result.attributes["model"] = input.model;
  result.attributes["data_source"] = input.market.source;
  result.attributes["input_sha256"] = input.market.input_sha256;
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

  for (size_t i = 0; i < input.levels.size(); ++i) {
    const std::string suffix = format_level(input.levels[i]);
    result.columns["var_" + suffix] = forecast.var[i];
    result.columns["hit_" + suffix] = hits(losses, forecast.var[i]);
    const BacktestResult stats = backtest(losses, forecast.var[i], input.levels[i]);
    add_backtest_rows(stats, result.tables["backtest"]);

    Table row;
    row.add("index", std::vector<std::string>{input.index})
        .add("period", std::vector<std::string>{input.period.name})
        .add("model", std::vector<std::string>{input.model})
        .add("seed", std::vector<int64_t>{seed});
    add_backtest_rows(stats, row);
    result.summary.append_rows(row);
  }
  return result;
}

MdnTrainingOptions mdn_options(const BacktestSettings& s) {
  MdnTrainingOptions options;
  options.max_epochs = static_cast<int>(s.max_epochs);
  options.patience = static_cast<int>(s.patience);
  options.batch_size = static_cast<int>(s.batch_size);
  return options;
}

MdnArchitecture task_architecture(const BacktestSettings& s) {
  MdnArchitecture architecture = mdn_architecture(s.model);
  architecture.activation = s.activation;
  return architecture;
}

// The network's mixture per test day turned into VaR (exact mixture quantile), plus what the
// network predicted and how training went, so failures are visible rather than hidden.
Result network_result(const BacktestInput& input, const MdnMemberResult& member, int64_t seed) {
  VarForecast forecast;
  forecast.levels = input.levels;
  for (double level : input.levels)
    forecast.var.push_back(mixture_var(member.mu, member.sigma, member.pi,
                                       static_cast<size_t>(member.components), level));
  Result result = backtest_result(input, forecast, seed);
  const size_t days = input.window.size();
  const auto k = static_cast<size_t>(member.components);
  std::vector<std::string> component_names;
  for (size_t j = 1; j <= k; ++j) component_names.push_back("k" + std::to_string(j));
  result.matrices["mixture/mu"] = Matrix{days, k, member.mu, component_names};
  result.matrices["mixture/sigma"] = Matrix{days, k, member.sigma, component_names};
  result.matrices["mixture/pi"] = Matrix{days, k, member.pi, component_names};
  Table history;
  history.add("epoch", member.epoch)
      .add("train_loss", member.train_loss)
      .add("val_loss", member.val_loss);
  result.tables["history"] = history;
  result.attributes["network_seed"] = static_cast<int64_t>(member.seed);
  result.attributes["epochs_trained"] = static_cast<int64_t>(member.epochs_trained);
  result.attributes["nonfinite_loss"] = static_cast<int64_t>(member.nonfinite_loss);
  result.attributes["collapsed"] = static_cast<int64_t>(member.collapsed);
  result.attributes["failure"] = member.failure;
  result.attributes["train_seconds"] = member.train_seconds;
  const size_t rows = result.summary.rows();
  result.summary.add("collapsed", std::vector<int64_t>(rows, member.collapsed))
      .add("nonfinite_loss", std::vector<int64_t>(rows, member.nonfinite_loss))
      .add("epochs_trained", std::vector<int64_t>(rows, member.epochs_trained));
  return result;
}

void check_settings(const BacktestSettings& s) {
  if (s.model.empty())
    throw std::invalid_argument(
        "setting 'model' is required (hs, cmm, garch, mdn2, mdn2reg, mdn3)");
  if (s.index.empty()) throw std::invalid_argument("setting 'index' is required");
  if (s.data.empty() && s.data_dir.empty())
    throw std::invalid_argument(
        "needs setting 'data' (a price CSV or \"synthetic\") or 'data_dir' (holding <index>.csv)");
  // The index names a file in data_dir: a plain name, never a path out of it.
  static const std::regex plain_name("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  if (!std::regex_match(s.index, plain_name))
    throw std::invalid_argument(
        "setting 'index': expected a name of letters, digits, '.', '_' "
        "or '-' (it names <data_dir>/<index>.csv), got '" +
        s.index + "'");
  const std::string file = s.data.empty() ? s.data_dir + "/" + s.index + ".csv" : s.data;
  if (file != "synthetic" && !std::filesystem::is_regular_file(file))
    throw std::invalid_argument("setting '" + std::string(s.data.empty() ? "data_dir" : "data") +
                                "': no price file " + file);
  parse_period(s.period);
  parse_levels(s.levels);
  if (s.window < 2) throw std::invalid_argument("setting 'window': expected at least 2");
  if (s.max_epochs < 1 || s.patience < 1 || s.batch_size < 1)
    throw std::invalid_argument("settings max_epochs, patience and batch_size: expected >= 1");
  if (is_network_model(s.model)) task_architecture(s);
}

// Network tasks that differ only in `seed` train together as one ensemble.
std::string ensemble_key(const Task& task) {
  if (!is_network_model(backtest_settings().read(task).model)) return "";
  Params params = task.params;
  params.erase("seed");
  return canonical_json(task.kind, params);
}

std::vector<TaskOutcome> run_ensemble(const std::vector<Task>& tasks, const BacktestInput& input) {
  std::vector<uint64_t> seeds;
  for (const Task& task : tasks) {
    if (ensemble_key(task) != ensemble_key(tasks.front()))
      throw std::invalid_argument("run_batch: tasks " + tasks.front().id + " and " + task.id +
                                  " cannot train as one ensemble");
    seeds.push_back(task.seed);
  }
  const std::vector<MdnMemberResult> members = train_mdn_ensemble(
      input.market.returns.returns, input.market.returns.dates, input.window.first,
      input.window.last, task_architecture(input.settings), seeds, mdn_options(input.settings));
  std::vector<TaskOutcome> outcomes(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (members[i].nonfinite_loss) {
      outcomes[i].error = "network training diverged: " + members[i].failure;
      continue;
    }
    outcomes[i].result = network_result(input, members[i], backtest_settings().read(tasks[i]).seed);
  }
  return outcomes;
}

class BacktestVarJob : public Job {
 public:
  // Reads the price data too (parsed files are cached for the run), so a bad file or a period
  // without enough history is bad input before any work, one line naming file and line.
  void validate(const Task& task) const override {
    check_settings(backtest_settings().read(task));
    load_input(task);
  }

  std::string batch_key(const Task& task) const override { return ensemble_key(task); }

  // Seconds on one core, roughly (herrig2023 sweep, one thread): a network seed in a batched
  // ensemble 0.3-1 s, a GARCH backtest of ~500 daily fits 0.08 s, HS and CMM a few
  // milliseconds. A sweep starts the network ensembles before the fast classical models.
  double relative_cost(const Task& task) const override {
    const std::string model = backtest_settings().read(task).model;
    if (is_network_model(model)) return 0.5;
    return model == "garch" ? 0.08 : 0.005;
  }

  Result run(const Task& task, const TaskContext& context) override {
    TaskOutcome outcome = run_batch({task}, context).front();
    if (!outcome.error.empty()) throw std::runtime_error(outcome.error);
    return std::move(outcome.result);
  }

  std::vector<TaskOutcome> run_batch(const std::vector<Task>& tasks,
                                     const TaskContext& context) override {
    if (tasks.size() != 1 && ensemble_key(tasks.front()).empty())
      return Job::run_batch(tasks, context);
    for (const Task& task : tasks) check_settings(backtest_settings().read(task));
    const BacktestInput input = load_input(tasks.front());
    if (is_network_model(input.model)) return run_ensemble(tasks, input);
    std::vector<TaskOutcome> outcomes(1);
    outcomes[0].result =
        backtest_result(input,
                        forecast_classical(input.model, input.market.returns, input.window,
                                           input.levels, input.estimation_window, input.settings),
                        input.settings.seed);
    return outcomes;
  }
};

}  // namespace

JobKind backtest_var_kind() {
  JobKind kind;
  kind.name = "backtest_var";
  kind.description = "VaR backtest of one model on one index and test period";
  kind.make = [] { return std::make_unique<BacktestVarJob>(); };
  kind.settings = backtest_settings().schema();
  kind.study_table = [](const Table& rows, const std::vector<std::string>& group_by) {
    return var_table(rows, VarTableOptions{false, group_by});
  };
  return kind;
}

}  // namespace riskstep
