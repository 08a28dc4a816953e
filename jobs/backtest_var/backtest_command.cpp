#include "jobs/backtest_var/backtest_command.h"

#include <mpi.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include "jobs/backtest_var/backtest_settings.h"
#include "jobs/backtest_var/seed_range.h"
#include "jobs/backtest_var/var_table.h"
#include "jobs/cli/setting_options.h"
#include "pipeline/core/printable.h"
#include "pipeline/engine/sweep_spec.h"
#include "pipeline/engine/work_unit.h"
#include "pipeline/store/output_path.h"
#include "pipeline/store/result_store.h"
#include "pipeline/store/run_metadata.h"
#include "pipeline/store/summary_table.h"

namespace riskstep {
namespace {

struct BacktestOptions {
  std::unique_ptr<SettingOptions> settings;  // --index, --period, --levels, --window, ...
  bool synthetic = false;
  std::string models = "hs,cmm,garch";
  std::string seeds = "0";
  uint64_t spec_seed = 20231;
  std::string out;
  bool force = false;
  bool csv = false;
};

std::vector<ParamValue> model_list(const std::string& text) {
  std::vector<ParamValue> models;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (item.empty()) continue;
    if (std::find(models.begin(), models.end(), ParamValue(item)) != models.end())
      throw std::invalid_argument("--models: '" + item + "' is listed twice");
    models.emplace_back(item);
  }
  if (models.empty()) throw std::invalid_argument("--models: no model given");
  return models;
}

// The command as a spec: what it runs is exactly what `riskstep sweep` runs for that spec, and
// the results file records it.
SweepSpec backtest_spec(const BacktestOptions& options) {
  SweepSpec spec;
  spec.kind = "backtest_var";
  spec.source = "the command line";  // messages start "riskstep backtest: the command line: ..."
  spec.seed = options.spec_seed;
  spec.fixed = options.settings->given();
  const int sources =
      int(options.synthetic) + int(spec.fixed.count("data")) + int(spec.fixed.count("data_dir"));
  if (sources != 1)
    throw std::invalid_argument(
        "give exactly one of --data FILE, --data-dir DIR (with --index) or --synthetic");
  if (options.synthetic) spec.fixed["data"] = std::string("synthetic");
  if (!spec.fixed.count("index")) {
    if (!spec.fixed.count("data")) throw std::invalid_argument("--data-dir needs --index NAME");
    const std::string data = std::get<std::string>(spec.fixed.at("data"));
    spec.fixed["index"] =
        options.synthetic ? std::string("synthetic") : std::filesystem::path(data).stem().string();
  }
  std::vector<ParamValue> seeds;
  for (int64_t seed : parse_seed_list(options.seeds)) seeds.emplace_back(seed);
  spec.grid = {{"model", model_list(options.models)}, {"seed", seeds}};
  spec.locations = {{"grid.model", "--models"}, {"grid.seed", "--seeds"}};
  for (const auto& [name, value] : spec.fixed) spec.locations["fixed." + name] = option_name(name);
  std::vector<ParamValue> classical;
  for (const auto& model : classical_models()) classical.emplace_back(model);
  spec.drop_axes = {DropAxesRule{{{"model", classical}}, {"seed"}}};
  return spec;
}

// A results file of other tasks (another backtest) is kept: replacing it would lose them. The same
// tasks (a rerun) may be replaced.
void refuse_replacing_other_tasks(const std::string& out, const std::vector<Task>& tasks) {
  if (!std::filesystem::exists(out)) return;
  std::set<std::string> ours;
  for (const Task& task : tasks) ours.insert(task.id);
  size_t others = 0;
  for (const TaskRecord& record : read_results_file(out)) others += !ours.count(record.task.id);
  if (others > 0)
    throw std::invalid_argument(out + " holds " + std::to_string(others) +
                                " results of other tasks: use another --out, or --force to "
                                "replace the file");
}

void print_unit_line(size_t done, size_t unit_size, size_t total, const Task& first) {
  const std::string model = std::get<std::string>(first.params.at("model"));
  std::cerr << "[" << done + 1 << "-" << done + unit_size << "/" << total << "] " << model
            << (unit_size > 1 ? " (" + std::to_string(unit_size) + " seeds as one ensemble)" : "")
            << " ..." << std::flush;
}

std::vector<TaskRecord> run_tasks(Job& job, const std::vector<Task>& tasks) {
  std::vector<size_t> all(tasks.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<TaskRecord> records;
  for (const auto& unit : group_work_units(job, tasks, all)) {
    std::vector<Task> unit_tasks;
    for (size_t index : unit) unit_tasks.push_back(tasks[index]);
    print_unit_line(records.size(), unit.size(), tasks.size(), unit_tasks.front());
    TaskContext context;
    context.log = [](const std::string& line) { std::cerr << "\n  " << line << std::flush; };
    const std::vector<TaskRecord> done = run_work_unit(job, unit_tasks, context, 0);
    size_t failed = 0;
    for (const auto& record : done) failed += record.status != "ok";
    std::cerr << " " << (failed ? std::to_string(failed) + " failed" : "ok") << " ("
              << done.front().wall_seconds * double(done.size()) << " s)\n";
    for (const auto& record : done)
      if (record.status != "ok")
        std::cerr << "  task " << record.task.id << ": " << record.error << "\n";
    records.insert(records.end(), done.begin(), done.end());
  }
  return records;
}

bool write_results(const std::string& path, const SweepSpec& spec,
                   const std::vector<TaskRecord>& records) {
  try {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    write_results_file(path, collect_run_metadata(spec_toml(spec), 1), records);
  } catch (const std::exception& error) {
    std::cerr << "riskstep backtest: " << printable(error.what()) << "\n";
    return false;
  }
  std::cerr << "wrote " << path << "\n";
  return true;
}

int run_backtest(const BacktestOptions& options, const JobRegistry& registry) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank != 0) return 0;  // one process does it all; `riskstep sweep` spreads tasks over ranks
  SweepSpec spec;
  std::vector<Task> tasks;
  const JobKind& kind = registry.kind("backtest_var");
  const std::unique_ptr<Job> job = kind.make();
  try {
    if (!options.out.empty()) check_results_file_path(options.out, options.force);
    spec = backtest_spec(options);
    tasks = expand_tasks(spec, kind.settings, kDefaultMaxTasks, kind.input_digest);
    for (const Task& task : tasks) job->validate(task);
    if (!options.out.empty() && !options.force) refuse_replacing_other_tasks(options.out, tasks);
  } catch (const std::exception& error) {
    std::cerr << "riskstep backtest: " << printable(error.what()) << "\n";
    return 2;
  }
  const std::vector<TaskRecord> records = run_tasks(*job, tasks);
  size_t failed = 0;
  for (const auto& record : records) failed += record.status != "ok";
  if (!options.out.empty() && !write_results(options.out, spec, records)) return 1;
  const Table summary = summary_table(records);
  if (summary.rows() > 0) print_var_table(std::cout, summary, VarTableOptions{options.csv, {}});
  if (failed) std::cerr << failed << " of " << tasks.size() << " tasks failed\n";
  return failed ? 1 : 0;
}

}  // namespace

void add_backtest_command(CLI::App& app, const JobRegistry& registry, int& exit_code) {
  auto options = std::make_shared<BacktestOptions>();
  CLI::App* command = app.add_subcommand("backtest", "Backtest VaR models on one index and period");
  command->footer(
      "Examples:\n"
      "  riskstep backtest --synthetic --period calm --models hs,cmm,garch --levels 0.01,0.05\n"
      "  riskstep backtest --data ../shared/data/herrig2023/prices/gspc.csv --index gspc \\\n"
      "      --period 2017-01-01:2018-12-31 --models hs,cmm,garch --levels 0.01,0.05 --out "
      "gspc.h5\n"
      "  riskstep backtest --data gspc.csv --models mdn2,mdn3 --seeds 0-9 --out nets.h5\n"
      "The results file records the equivalent sweep spec (root attribute spec_text).");
  options->settings = std::make_unique<SettingOptions>(
      *command, registry.kind("backtest_var").settings, std::set<std::string>{"model", "seed"});
  command->add_flag("--synthetic", options->synthetic, "Use the built-in synthetic market");
  std::string model_names;
  for (const auto& model : var_models()) model_names += (model_names.empty() ? "" : ",") + model;
  command->add_option("--models", options->models, "Comma list of " + model_names)
      ->capture_default_str();
  command->add_option("--seeds", options->seeds, "Network seeds: 0-9, 1,4,7 ...")
      ->capture_default_str();
  command->add_option("--spec-seed", options->spec_seed, "Seed all task seeds derive from")
      ->capture_default_str();
  command->add_option("--out", options->out, "HDF5 results file to write (riskstep's own, or new)");
  command->add_flag("--force", options->force,
                    "Replace --out even when it is a file riskstep did not write");
  command->add_flag("--csv", options->csv, "Print the table as CSV instead of Markdown");
  command->callback(
      [options, &registry, &exit_code] { exit_code = run_backtest(*options, registry); });
}

}  // namespace riskstep
