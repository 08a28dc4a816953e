#include "jobs/cli_backtest.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "jobs/backtest_var.h"
#include "jobs/seed_range.h"
#include "jobs/var_levels.h"
#include "jobs/var_table.h"
#include "models/var/returns.h"
#include "pipeline/result_store.h"
#include "pipeline/run_metadata.h"
#include "pipeline/summary_table.h"

namespace riskstep {
namespace {

struct BacktestOptions {
  std::string data;
  bool synthetic = false;
  std::string index;
  std::string period = "calm";
  std::string models = "hs,cmm,garch";
  std::string levels = "0.01";
  std::string seeds = "0";
  std::string garch_dist = "ged";
  std::string garch_start = "study";
  std::string price_column;
  int64_t window = 251;
  uint64_t spec_seed = 20231;
  std::string out;
  bool csv = false;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ','))
    if (!item.empty()) items.push_back(item);
  return items;
}

std::vector<Task> make_tasks(const BacktestOptions& options) {
  Params fixed;
  fixed["index"] = options.index;
  fixed["period"] = options.period;
  fixed["levels"] = options.levels;
  fixed["window"] = options.window;
  fixed["data"] = options.synthetic ? std::string("synthetic") : options.data;
  if (!options.price_column.empty()) fixed["price_column"] = options.price_column;

  std::vector<Task> tasks;
  for (const std::string& model : split_list(options.models)) {
    Params params = fixed;
    params["model"] = model;
    if (model == "garch") {
      params["garch_dist"] = options.garch_dist;
      params["garch_start"] = options.garch_start;
    }
    if (!is_network_model(model)) {
      tasks.push_back(make_task("backtest_var", params, options.spec_seed));
      continue;
    }
    for (int64_t seed : parse_seed_list(options.seeds)) {
      params["seed"] = seed;
      tasks.push_back(make_task("backtest_var", params, options.spec_seed));
    }
  }
  return tasks;
}

std::string command_line_text(const BacktestOptions& options) {
  std::ostringstream text;
  text << "# riskstep backtest\n"
       << "data = \"" << (options.synthetic ? "synthetic" : options.data) << "\"\n"
       << "index = \"" << options.index << "\"\nperiod = \"" << options.period << "\"\n"
       << "models = \"" << options.models << "\"\nlevels = \"" << options.levels << "\"\n"
       << "seeds = \"" << options.seeds << "\"\ngarch_dist = \"" << options.garch_dist
       << "\"\ngarch_start = \"" << options.garch_start << "\"\n"
       << "window = " << options.window << "\nspec_seed = " << options.spec_seed << "\n";
  return text.str();
}

int run_backtest(const BacktestOptions& options_in, const JobRegistry& registry) {
  BacktestOptions options = options_in;
  if (options.synthetic == !options.data.empty()) {
    std::cerr << "riskstep backtest: give exactly one of --data FILE or --synthetic\n";
    return 2;
  }
  if (options.index.empty())
    options.index =
        options.synthetic ? "synthetic" : std::filesystem::path(options.data).stem().string();

  std::vector<Task> tasks;
  auto job = registry.make("backtest_var");
  try {
    tasks = make_tasks(options);
    if (tasks.empty()) throw std::invalid_argument("--models: no model given");
    for (const Task& task : tasks) job->validate(task);
  } catch (const std::exception& error) {
    std::cerr << "riskstep backtest: " << error.what() << "\n";
    return 2;
  }

  // Network seeds of one model train together as one ensemble (Job::batch_key).
  std::vector<std::vector<Task>> batches;
  for (const Task& task : tasks) {
    const std::string key = job->batch_key(task);
    if (!key.empty() && !batches.empty() && job->batch_key(batches.back().front()) == key)
      batches.back().push_back(task);
    else
      batches.push_back({task});
  }

  std::vector<TaskRecord> records;
  int failed = 0;
  for (const auto& batch : batches) {
    const Task& first = batch.front();
    std::cerr << "[" << records.size() + 1 << "-" << records.size() + batch.size() << "/"
              << tasks.size() << "] " << param_string(first, "model")
              << (batch.size() > 1 ? " (" + std::to_string(batch.size()) + " seeds as one ensemble)"
                                   : "")
              << " ..." << std::flush;
    const auto start = std::chrono::steady_clock::now();
    std::vector<TaskOutcome> outcomes;
    try {
      TaskContext context;
      context.log = [](const std::string& line) { std::cerr << "\n  " << line << std::flush; };
      outcomes = job->run_batch(batch, context);
    } catch (const std::exception& error) {
      outcomes.assign(batch.size(), TaskOutcome{Result{}, error.what()});
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    int batch_failed = 0;
    for (size_t i = 0; i < batch.size(); ++i) {
      TaskRecord record;
      record.task = batch[i];
      record.result = std::move(outcomes[i].result);
      record.error = outcomes[i].error;
      if (record.error.empty() && !all_finite(record.result))
        record.error = "result holds non-finite numbers";
      if (!record.error.empty()) {
        record.status = "failed";
        record.result = Result{};
        ++batch_failed;
      }
      record.wall_seconds = seconds / static_cast<double>(batch.size());
      records.push_back(std::move(record));
    }
    failed += batch_failed;
    std::cerr << " " << (batch_failed ? std::to_string(batch_failed) + " failed" : "ok") << " ("
              << seconds << " s)\n";
    for (size_t i = records.size() - batch.size(); i < records.size(); ++i)
      if (!records[i].error.empty())
        std::cerr << "  task " << records[i].task.id << ": " << records[i].error << "\n";
  }

  if (!options.out.empty()) {
    const auto parent = std::filesystem::path(options.out).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    write_results_file(options.out, collect_run_metadata(command_line_text(options), 1), records);
    std::cerr << "wrote " << options.out << "\n";
  }
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
      "  riskstep backtest --data gspc.csv --models mdn2,mdn3 --seeds 0-9 --out nets.h5");
  command->add_option("--data", options->data, "Price CSV (Yahoo, thesis or date,close format)")
      ->check(CLI::ExistingFile);
  command->add_flag("--synthetic", options->synthetic, "Use the built-in synthetic market");
  command->add_option("--index", options->index, "Index name (default: the file's stem)");
  command->add_option("--period", options->period, "calm | covid | YYYY-MM-DD:YYYY-MM-DD")
      ->capture_default_str();
  command->add_option("--models", options->models, "Comma list of hs,cmm,garch,mdn2,mdn2reg,mdn3")
      ->capture_default_str();
  command->add_option("--levels", options->levels, "Comma list of tail probabilities")
      ->capture_default_str();
  command->add_option("--seeds", options->seeds, "Network seeds: 0-9, 1,4,7 ...")
      ->capture_default_str();
  command->add_option("--garch-dist", options->garch_dist, "ged | normal | student_t | auto")
      ->check(CLI::IsMember({"ged", "normal", "student_t", "auto"}))
      ->capture_default_str();
  command
      ->add_option("--garch-start", options->garch_start,
                   "study: s2_1 = mean(e^2); fgarch: R fGarch's start (as the thesis)")
      ->check(CLI::IsMember({"study", "fgarch"}))
      ->capture_default_str();
  command->add_option("--price-column", options->price_column, "Price column (default Close)");
  command->add_option("--window", options->window, "Rolling estimation window (returns)")
      ->check(CLI::Range(2, 100000))
      ->capture_default_str();
  command->add_option("--spec-seed", options->spec_seed, "Seed all task seeds derive from")
      ->capture_default_str();
  command->add_option("--out", options->out, "HDF5 results file to write");
  command->add_flag("--csv", options->csv, "Print the table as CSV instead of Markdown");
  command->callback(
      [options, &registry, &exit_code] { exit_code = run_backtest(*options, registry); });
}

}  // namespace riskstep
