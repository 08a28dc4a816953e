#include "jobs/train_stepnet/stepnet_table.h"

#include <cmath>

#include "pipeline/tables/aggregate.h"

namespace riskstep {

Table stepnet_table(const Table& summary, const std::vector<std::string>& group_by) {
  std::vector<std::string> by = group_by;
  if (by.empty()) by = {"dataset", "depth", "attention"};
  require_columns(summary, by, "--by: the summary");
  require_columns(summary,
                  {"parameter_count", "final_test_accuracy", "nsi_mean", "images_per_second"},
                  "not a StepNet training summary: it");
  Table table = aggregate_table(summary, by,
                                {{"final_test_accuracy", Reducer::count, "runs"},
                                 {"parameter_count", Reducer::mean, "parameter_count"},
                                 {"final_test_accuracy", Reducer::mean, "final_test_accuracy_mean"},
                                 {"final_test_accuracy", Reducer::sd, "final_test_accuracy_sd"},
                                 {"final_test_accuracy", Reducer::min, "final_test_accuracy_min"},
                                 {"final_test_accuracy", Reducer::max, "final_test_accuracy_max"},
                                 {"nsi_mean", Reducer::mean, "nsi_mean"},
                                 {"images_per_second", Reducer::mean, "images_per_second"}});
  // A count, the same for every run of one architecture: print it whole, not as 2.722e+05.
  for (size_t i = 0; i < table.names.size(); ++i) {
    if (table.names[i] != "parameter_count") continue;
    std::vector<int64_t> counts;
    for (double mean : std::get<std::vector<double>>(table.columns[i]))
      counts.push_back(std::llround(mean));
    table.columns[i] = counts;
  }
  return table;
}

}  // namespace riskstep
