#include "jobs/cli/aggregate_command.h"

#include <filesystem>
#include <iostream>

#include "jobs/cli/study_table.h"
#include "pipeline/store/result_store.h"
#include "pipeline/store/summary_table.h"

namespace riskstep {
namespace {

struct AggregateOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> group_by;
  bool csv = false;
};

int run_aggregate(const AggregateOptions& options, const JobRegistry& registry) {
  Table summary;
  try {
    for (const auto& input : options.inputs) {
      const std::string path = std::filesystem::is_directory(input) ? input + "/results.h5" : input;
      if (!std::filesystem::exists(path)) {
        std::cerr << "riskstep aggregate: " << path << ": no such results file"
                  << (std::filesystem::is_directory(input) ? " (has the sweep finished?)" : "")
                  << "\n";
        return 2;
      }
      append_rows_union(summary, read_summary_table(path));
    }
    if (summary.rows() == 0) {
      std::cerr << "riskstep aggregate: no finished tasks in the given results\n";
      return 1;
    }
    print_study_tables(std::cout, registry, summary,
                       StudyTableOptions{options.csv, options.group_by});
  } catch (const std::exception& error) {
    std::cerr << "riskstep aggregate: " << error.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace

void add_aggregate_command(CLI::App& app, const JobRegistry& registry, int& exit_code) {
  auto options = std::make_shared<AggregateOptions>();
  CLI::App* command = app.add_subcommand(
      "aggregate", "Print the study table of finished results (one per job kind)");
  command->footer(
      "Examples:\n"
      "  riskstep aggregate out/herrig2023            (a sweep directory: reads results.h5)\n"
      "  riskstep aggregate gspc.h5 ftse.h5 --csv > table.csv\n"
      "  riskstep aggregate out/herrig2023 --by model,level\n"
      "  riskstep aggregate out/stepnet_fmnist          (StepNet: accuracy and NSI per attention)");
  command->add_option("inputs", options->inputs, "Results files or sweep directories")->required();
  command->add_option("--by", options->group_by, "Group by these summary columns")->delimiter(',');
  command->add_flag("--csv", options->csv, "CSV instead of Markdown");
  command->callback(
      [options, &registry, &exit_code] { exit_code = run_aggregate(*options, registry); });
}

}  // namespace riskstep
