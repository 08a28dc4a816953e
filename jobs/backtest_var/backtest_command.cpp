#include "jobs/backtest_var/backtest_command.h"

#include <mpi.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include "app/in_process_run.h"
#include "app/run_command.h"
#include "app/setting_options.h"
#include "jobs/backtest_var/backtest_settings.h"
#include "jobs/backtest_var/var_table.h"
#include "pipeline/spec/sweep_spec.h"
#include "pipeline/store/output_path.h"
#include "pipeline/store/summary_table.h"

namespace riskstep {
namespace {

struct BacktestOptions {
  std::unique_ptr<SettingOptions> settings;  // --index, --period, --levels, ..., --models, --seeds
  bool synthetic = false;
  uint64_t spec_seed = 20231;
  std::string out;
  bool force = false;
  bool csv = false;
};

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
  spec.grid = {{"model", options.settings->axis("model")},
               {"seed", options.settings->axis("seed")}};
  spec.locations = {{"grid.model", "--models"}, {"grid.seed", "--seeds"}};
  for (const auto& [name, value] : spec.fixed) spec.locations["fixed." + name] = option_name(name);
  std::vector<ParamValue> classical;
  for (const auto& model : classical_models()) classical.emplace_back(model);
  spec.drop_axes = {DropAxesRule{{{"model", classical}}, {"seed"}}};
  return spec;
}

int run_backtest(const BacktestOptions& options, const JobRegistry& registry) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  // One process does it all; `riskstep sweep` spreads tasks over ranks.
  if (rank != 0) return exit_status::ok;
  SweepSpec spec;
  std::vector<Task> tasks;
  const JobKind& kind = registry.kind("backtest_var");
  const std::unique_ptr<Job> job = kind.make();
  const auto prepare = [&] {
    if (!options.out.empty()) check_results_file_path(options.out, options.force);
    spec = backtest_spec(options);
    tasks = in_process_tasks(spec, kind, *job, options.out, options.force);
  };
  if (const int status = run_step("backtest", prepare, exit_status::bad_input)) return status;
  const std::vector<TaskRecord> records = run_in_process(*job, tasks);
  const auto write = [&] { write_in_process_results(options.out, spec, records); };
  if (!options.out.empty())
    if (const int status = run_step("backtest", write)) return status;
  const size_t failed = failed_count(records);
  const Table summary = summary_table(records);
  if (summary.rows() > 0) print_var_table(std::cout, summary, VarTableOptions{options.csv, {}});
  if (failed) std::cerr << failed << " of " << tasks.size() << " tasks failed\n";
  return failed ? exit_status::failed : exit_status::ok;
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
  options->settings->add_axis("model", "--models", "hs,cmm,garch", "VaR models");
  options->settings->add_axis("seed", "--seeds", "0", "Network seeds, e.g. 0-9 or 1,4,7");
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
