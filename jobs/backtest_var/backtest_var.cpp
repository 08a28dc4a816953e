#include "jobs/backtest_var/backtest_var.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>

#include "jobs/backtest_var/backtest_command.h"
#include "jobs/backtest_var/backtest_input.h"
#include "jobs/backtest_var/backtest_result.h"
#include "jobs/backtest_var/compare_command.h"
#include "jobs/backtest_var/market_data.h"
#include "jobs/backtest_var/network_forecast.h"
#include "jobs/backtest_var/var_levels.h"
#include "jobs/backtest_var/var_table.h"
#include "models/var/mdn/mdn_protocol.h"

namespace riskstep {
namespace {

std::string model_list() {
  std::string list;
  for (const auto& model : var_models()) list += (list.empty() ? "" : ", ") + model;
  return list;
}

// What a single setting may be is declared with it (backtest_settings.cpp) and checked wherever
// it is given; here what a task needs of them together.
void check_settings(const BacktestSettings& s) {
  if (s.model.empty())
    throw std::invalid_argument("setting 'model' is required (" + model_list() + ")");
  if (s.index.empty()) throw std::invalid_argument("setting 'index' is required");
  check_index_name(s.index);
  if (s.data.empty() && s.data_dir.empty())
    throw std::invalid_argument(
        "needs setting 'data' (a price CSV or \"synthetic\") or 'data_dir' (holding <index>.csv)");
  const std::string file = s.data.empty() ? s.data_dir + "/" + s.index + ".csv" : s.data;
  if (file != "synthetic" && !std::filesystem::is_regular_file(file))
    throw std::invalid_argument("setting '" + std::string(s.data.empty() ? "data_dir" : "data") +
                                "': no price file " + file);
  parse_period(s.period);
  if (s.model == "garch_evt") {
    const double k = std::floor(s.evt_tail * double(s.window));
    if (k < 5)
      throw std::invalid_argument(
          "settings 'evt_tail' x 'window': the GPD needs at least 5 "
          "excesses, got " +
          std::to_string(int(k)));
    for (double level : s.levels)
      if (!(level < k / double(s.window)))
        throw std::invalid_argument(
            "setting 'levels': GARCH-EVT estimates levels below its tail "
            "share k/window (" +
            std::to_string(k / double(s.window)) + "); raise 'evt_tail'");
  }
  const bool garch_filter = s.model == "fhs" && s.fhs_filter == "garch";
  if (s.garch_dist == "auto" && (garch_filter || (s.model == "garch" && s.garch_kind != "garch")))
    throw std::invalid_argument(
        "setting 'garch_dist': auto picks normal or GED for GARCH(1,1) "
        "only; name a distribution");
  if (is_network_model(s.model)) task_architecture(s);
  if (is_network_model(s.model) && s.mdn_filter == "garch" && s.garch_dist == "auto")
    throw std::invalid_argument(
        "setting 'garch_dist': the GARCH filter needs a distribution, not auto");
  if (!s.train_start.empty()) parse_period(s.train_start + ":" + s.train_start);
}

// The prices a task uses by content: from the file's first row through its test period's last
// day (market_data.h). Cached: a sweep asks for each index and period many times.
std::string prices_digest(const Params& given) {
  const BacktestSettings s = backtest_settings().read(given);
  check_settings(s);
  const std::string last_date = parse_period(s.period).last;
  static std::mutex mutex;
  static std::map<std::string, std::string> digests;
  const std::string key =
      s.data + "\n" + s.data_dir + "\n" + s.index + "\n" + s.price_column + "\n" + last_date;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = digests.find(key);
  if (it == digests.end())
    it = digests.emplace(key, prices_sha256(load_market_data(s), last_date)).first;
  return it->second;
}

// The simulated p-values at each level are seeded from what determines them: the prices, the
// model's settings and the level; never the index name, a path, or the other levels asked for.
std::vector<uint64_t> simulation_seeds(const Task& task, const std::vector<double>& levels) {
  std::vector<uint64_t> seeds;
  for (double level : levels)
    seeds.push_back(content_seed(task, backtest_settings().schema(), {"levels"},
                                 "simulated p-values at level " + format_level(level)));
  return seeds;
}

// Network tasks that differ only in `seed` (same settings, same prices) train as one ensemble.
std::string ensemble_key(const Task& task) {
  if (!is_network_model(backtest_settings().read(task).model)) return "";
  Params params = task.params;
  params.erase("seed");
  return canonical_json(task.kind, params) + task.input_sha256;
}

std::vector<TaskOutcome> run_ensemble(const std::vector<Task>& tasks, const BacktestInput& input) {
  std::vector<uint64_t> seeds;
  for (const Task& task : tasks) {
    if (ensemble_key(task) != ensemble_key(tasks.front()))
      throw std::invalid_argument("run_batch: tasks " + tasks.front().id + " and " + task.id +
                                  " cannot train as one ensemble");
    seeds.push_back(task.seed);
  }
  const std::vector<MdnMemberResult> members = forecast_networks(input, seeds);
  std::vector<TaskOutcome> outcomes(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (members[i].nonfinite_loss) {
      outcomes[i].error = "network training diverged: " + members[i].failure;
      continue;
    }
    outcomes[i].result = network_result(input, members[i], backtest_settings().read(tasks[i]).seed,
                                        simulation_seeds(tasks[i], input.levels));
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

  std::string progress_label(const Task& task) const override {
    const BacktestSettings s = backtest_settings().read(task);
    return s.model + " " + s.index + " " + s.period;
  }

  // The networks are small: every backtest computes on CPUs.
  std::string device(const Task& /*task*/) const override { return "cpu"; }

  // Seconds on one core, roughly (herrig2023 sweep, one thread): a network seed in a batched
  // ensemble 0.3-1 s, a GARCH backtest of ~500 daily fits 0.08 s, HS and CMM a few
  // milliseconds. A sweep starts the network ensembles before the fast classical models.
  double relative_cost(const Task& task) const override {
    const BacktestSettings s = backtest_settings().read(task);
    if (is_network_model(s.model)) return 0.5;
    const bool daily_fits = s.model == "garch" || s.model == "garch_evt" ||
                            (s.model == "fhs" && s.fhs_filter == "garch");
    const double per_window = double(s.window) / 251.0;  // a fit's cost grows with its window
    if (daily_fits) return (s.garch_dist == "skew_t" ? 0.3 : 0.08) * per_window;
    return 0.005;
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
    outcomes[0].result = classical_result(input, forecast_classical(input),
                                          simulation_seeds(tasks[0], input.levels));
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
  kind.input_digest = prices_digest;
  kind.study_table = [](const Table& rows, const std::vector<std::string>& group_by) {
    return var_table(rows, VarTableOptions{false, group_by});
  };
  kind.add_commands = [](CLI::App& app, const JobRegistry& registry, int& exit_status) {
    add_backtest_command(app, registry, exit_status);
    add_compare_command(app, exit_status);
  };
  return kind;
}

}  // namespace riskstep
