#include "tests/kinds/example/example_job.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <random>

#include "app/in_process_run.h"
#include "app/run_command.h"
#include "app/setting_options.h"
#include "pipeline/core/typed_settings.h"
#include "pipeline/store/output_path.h"
#include "pipeline/store/summary_table.h"
#include "pipeline/tables/aggregate.h"
#include "pipeline/tables/table_format.h"

namespace riskstep {
namespace {

// 1. The settings, declared once: spec keys, --set, the command's options and task ids follow.
struct ExampleSettings {
  std::string distribution = "normal";  // normal | uniform (on [0, 1))
  int64_t draws = 1000;                 // samples per task
  int64_t seed = -1;                    // the replicate number (a sweep axis)
};

const SettingsOf<ExampleSettings>& example_settings() {
  using S = ExampleSettings;
  static const auto bound =
      SettingsOf<S>()
          .identity("distribution", &S::distribution, "Distribution drawn", {"normal", "uniform"})
          .identity("draws", &S::draws, "Samples per task")
          .between(1, 10'000'000)
          .identity("seed", &S::seed, "Replicate number");
  return bound;
}

// 2. The job: a task's settings and seed in, a Result out. Throws on failure. (What one setting
// may be is declared with it above and checked before any task runs; Job::validate is for what
// settings need together, and for input data.)
class ExampleJob : public Job {
 public:
  Result run(const Task& task, const TaskContext& /*context*/) override {
    const ExampleSettings s = example_settings().read(task);
    std::mt19937_64 generator(task.seed);  // the engine derives it from the spec seed and the id
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform;
    double sum = 0, squares = 0;
    for (int64_t i = 0; i < s.draws; ++i) {
      const double x = s.distribution == "normal" ? normal(generator) : uniform(generator);
      sum += x;
      squares += x * x;
    }
    const double mean = sum / double(s.draws);
    Result result;
    result.attributes["mean"] = mean;
    result.summary.add("distribution", std::vector<std::string>{s.distribution})
        .add("mean", std::vector<double>{mean})
        .add("sd", std::vector<double>{std::sqrt(squares / double(s.draws) - mean * mean)});
    return result;
  }
};

// 3. The study table `riskstep aggregate` prints from the kind's /summary rows.
Table example_table(const Table& summary, const std::vector<std::string>& group_by) {
  const std::vector<std::string> by =
      group_by.empty() ? std::vector<std::string>{"distribution"} : group_by;
  return aggregate_table(summary, by,
                         {{"mean", Reducer::count, "tasks"},
                          {"mean", Reducer::mean, "mean"},
                          {"sd", Reducer::mean, "sd"}});
}

// 4. The kind's own command: its tasks as a spec, run here, written, tabled.
struct ExampleOptions {
  std::unique_ptr<SettingOptions> settings;
  int64_t replicates = 3;
  std::string out;
};

int run_example(const ExampleOptions& options, const JobKind& kind) {
  SweepSpec spec;
  spec.kind = kind.name;
  spec.source = "the command line";
  spec.fixed = options.settings->given();
  std::vector<ParamValue> seeds;
  for (int64_t seed = 0; seed < options.replicates; ++seed) seeds.emplace_back(seed);
  spec.grid = {{"seed", seeds}};
  const std::unique_ptr<Job> job = kind.make();
  if (!options.out.empty()) check_results_file_path(options.out, false);
  const std::vector<Task> tasks = in_process_tasks(spec, kind, *job, options.out, false);
  const std::vector<TaskRecord> records = run_in_process(*job, tasks);
  if (!options.out.empty()) write_in_process_results(options.out, spec, records);
  write_markdown(std::cout, example_table(summary_table(records), {}));
  return failed_count(records) ? exit_status::failed : exit_status::ok;
}

void add_example_command(CLI::App& app, const JobRegistry& registry, int& exit_status) {
  auto options = std::make_shared<ExampleOptions>();
  CLI::App* command = app.add_subcommand("example", "The template kind: sample means");
  command->footer("Example:\n  riskstep example --distribution uniform --replicates 3 --out e.h5");
  const JobKind& kind = registry.kind("example");
  options->settings =
      std::make_unique<SettingOptions>(*command, kind.settings, std::set<std::string>{"seed"});
  command->add_option("--replicates", options->replicates, "Tasks, seeds 0 to N-1")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command->add_option("--out", options->out, "HDF5 results file to write");
  command->callback([options, &kind, &exit_status] {
    exit_status = run_command("example", [&] { return run_example(*options, kind); });
  });
}

}  // namespace

// 5. The declaration the registry adds (one line in jobs/study_kinds.cpp for a shipped study).
JobKind example_kind() {
  JobKind kind;
  kind.name = "example";
  kind.description = "sample means of a distribution (the template for a new study)";
  kind.make = [] { return std::make_unique<ExampleJob>(); };
  kind.settings = example_settings().schema();
  kind.study_table = example_table;
  kind.add_commands = add_example_command;
  return kind;
}

}  // namespace riskstep
