#include "app/aggregate_command.h"

#include <filesystem>
#include <iostream>
#include <set>

#include "app/run_command.h"
#include "app/study_table.h"
#include "pipeline/store/out_layout.h"
#include "pipeline/store/result_store.h"
#include "pipeline/store/summary_table.h"

namespace riskstep {
namespace {

struct AggregateOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> group_by;
  std::string format = "markdown";
  bool csv = false;  // --format csv
};

// Rows of tasks already counted (a file given twice, or copies of one sweep's results) are
// dropped, so no task is counted twice.
Table new_rows(const Table& rows, std::set<std::string>& seen_tasks, size_t& repeated) {
  const auto& ids = std::get<std::vector<std::string>>(rows.column("task_id"));
  std::set<std::string> in_this_file;
  std::vector<size_t> keep;
  for (size_t row = 0; row < ids.size(); ++row) {
    if (seen_tasks.count(ids[row]) && !in_this_file.count(ids[row])) {
      ++repeated;
      continue;
    }
    in_this_file.insert(ids[row]);
    keep.push_back(row);
  }
  seen_tasks.insert(in_this_file.begin(), in_this_file.end());
  return rows.rows_at(keep);
}

Table read_inputs(const std::vector<std::string>& inputs) {
  Table summary;
  std::set<std::string> files, tasks;
  size_t repeated = 0;
  for (const auto& input : inputs) {
    const std::string path = out_layout::existing_results_file(input);
    if (!files.insert(std::filesystem::weakly_canonical(path).string()).second) continue;
    verify_results_file(path);  // every checksum the table relies on; throws naming the file
    const Table rows = read_summary_table(path);
    if (rows.rows() > 0) append_rows_union(summary, new_rows(rows, tasks, repeated));
  }
  if (repeated > 0)
    std::cerr << "riskstep aggregate: " << repeated
              << " summary rows of tasks already read from another file were counted once\n";
  return summary;
}

int run_aggregate(const AggregateOptions& options, const JobRegistry& registry) {
  const Table summary = read_inputs(options.inputs);
  if (summary.rows() == 0) {
    print_command_error("aggregate", "no finished tasks in the given results");
    return exit_status::failed;
  }
  const std::string format = options.csv ? "csv" : options.format;
  const TableFormat table_format = format == "json"  ? TableFormat::json
                                   : format == "csv" ? TableFormat::csv
                                                     : TableFormat::markdown;
  print_study_tables(std::cout, registry, summary,
                     StudyTableOptions{table_format, options.group_by});
  return exit_status::ok;
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
      "  riskstep aggregate out/herrig2023 --format json   (every kind's table, for programs)\n"
      "  riskstep aggregate out/stepnet_fmnist          (StepNet: accuracy and NSI per attention)");
  command->add_option("inputs", options->inputs, "Results files or sweep directories")->required();
  command->add_option("--by", options->group_by, "Group by these summary columns")->delimiter(',');
  command
      ->add_option("--format", options->format,
                   "markdown (for people), csv (one job kind, full precision) or json (every "
                   "kind, full precision, NaN as null)")
      ->check(CLI::IsMember({"markdown", "csv", "json"}))
      ->capture_default_str();
  command->add_flag("--csv", options->csv, "Same as --format csv");
  command->callback([options, &registry, &exit_code] {
    // Every error here is in the files given.
    exit_code = run_command(
        "aggregate", [&] { return run_aggregate(*options, registry); }, exit_status::bad_input);
  });
}

}  // namespace riskstep
