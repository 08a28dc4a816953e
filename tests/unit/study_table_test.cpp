// riskstep aggregate's tables per job kind: StepNet accuracy/NSI per attention, kinds kept apart.
#include "jobs/cli/study_table.h"
#include "jobs/registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "jobs/train_stepnet/stepnet_table.h"

namespace riskstep {
namespace {

Table stepnet_summary() {
  Table summary;
  summary.add("task_id", std::vector<std::string>{"a", "b", "c", "d"})
      .add("kind", std::vector<std::string>(4, "train_stepnet"))
      .add("dataset", std::vector<std::string>(4, "fashion-mnist"))
      .add("depth", std::vector<int64_t>(4, 20))
      .add("attention", std::vector<std::string>{"none", "stepnet", "none", "stepnet"})
      .add("parameter_count", std::vector<int64_t>{272186, 276590, 272186, 276590})
      .add("final_test_accuracy", std::vector<double>{0.80, 0.70, 0.84, 0.74})
      .add("nsi_mean", std::vector<double>{1.5, 1.2, 1.7, 1.4})
      .add("images_per_second", std::vector<double>{100, 90, 110, 70});
  return summary;
}

TEST(StepnetTable, AccuracyAndNsiPerAttentionOverSeeds) {
  const Table table = stepnet_table(stepnet_summary(), {});
  ASSERT_EQ(table.rows(), 2u);
  EXPECT_EQ(std::get<std::vector<std::string>>(table.column("attention")),
            (std::vector<std::string>{"none", "stepnet"}));
  EXPECT_EQ(std::get<std::vector<int64_t>>(table.column("runs")), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(std::get<std::vector<int64_t>>(table.column("parameter_count")),
            (std::vector<int64_t>{272186, 276590}));
  const auto& mean = std::get<std::vector<double>>(table.column("accuracy_mean"));
  const auto& sd = std::get<std::vector<double>>(table.column("accuracy_sd"));
  EXPECT_NEAR(mean[0], 0.82, 1e-12);
  EXPECT_NEAR(mean[1], 0.72, 1e-12);
  EXPECT_NEAR(sd[0], std::sqrt(2 * 0.02 * 0.02), 1e-12);  // sample sd of 0.80 and 0.84
  EXPECT_NEAR(std::get<std::vector<double>>(table.column("accuracy_min"))[1], 0.70, 1e-12);
  EXPECT_NEAR(std::get<std::vector<double>>(table.column("nsi_mean"))[1], 1.3, 1e-12);
  EXPECT_NEAR(std::get<std::vector<double>>(table.column("images_per_second"))[0], 105, 1e-12);
}

TEST(StepnetTable, ErrorsNameTheColumn) {
  EXPECT_THROW(
      try { stepnet_table(stepnet_summary(), {"index"}); } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "--by: the summary has no column 'index'");
        throw;
      },
      std::invalid_argument);
  Table without_nsi = stepnet_summary();
  without_nsi.names[7] = "other";
  EXPECT_THROW(
      try { stepnet_table(without_nsi, {}); } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "not a StepNet training summary: it has no column 'nsi_mean'");
        throw;
      },
      std::invalid_argument);
}

TEST(StudyTables, OneTablePerKindAndCsvTakesOneKind) {
  Table summary = stepnet_summary();
  Table other;
  other.add("task_id", std::vector<std::string>{"e", "f"})
      .add("kind", std::vector<std::string>{"toy", "toy"});
  const Table toy = study_table(make_job_registry(), "toy", other, {});
  EXPECT_EQ(std::get<std::vector<int64_t>>(toy.column("tasks")), (std::vector<int64_t>{2}));

  Table both = summary.rows_at({0, 1});
  EXPECT_EQ(std::get<std::vector<std::string>>(both.column("task_id")),
            (std::vector<std::string>{"a", "b"}));
  std::ostringstream markdown;
  print_study_tables(markdown, make_job_registry(), summary, {});
  EXPECT_EQ(markdown.str().find("## "), std::string::npos);  // one kind: no heading
  EXPECT_NE(markdown.str().find("| fashion-mnist | 20 | stepnet | 2 | 276590 |"), std::string::npos)
      << markdown.str();

  // Rows of another kind (as when several results files are aggregated at once).
  Table mixed;
  mixed.add("task_id", std::vector<std::string>{"a", "e"})
      .add("kind", std::vector<std::string>{"train_stepnet", "toy"})
      .add("dataset", std::vector<std::string>{"fashion-mnist", ""})
      .add("depth", std::vector<int64_t>{20, 0})
      .add("attention", std::vector<std::string>{"none", ""})
      .add("parameter_count", std::vector<int64_t>{272186, 0})
      .add("final_test_accuracy", std::vector<double>{0.8, NAN})
      .add("nsi_mean", std::vector<double>{1.5, NAN})
      .add("images_per_second", std::vector<double>{100, NAN});
  std::ostringstream two;
  print_study_tables(two, make_job_registry(), mixed, {});
  EXPECT_NE(two.str().find("## train_stepnet\n"), std::string::npos) << two.str();
  EXPECT_NE(two.str().find("## toy\n"), std::string::npos) << two.str();
  std::ostringstream csv;
  EXPECT_THROW(
      try {
        print_study_tables(csv, make_job_registry(), mixed, {TableFormat::csv, {}});
      } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(),
                     "--csv prints one job kind at a time; these results hold train_stepnet, toy "
                     "(--format json prints them all)");
        throw;
      },
      std::invalid_argument);
  // JSON holds every kind's table, named, with typed columns and NaN as null.
  std::ostringstream json;
  print_study_tables(json, make_job_registry(), mixed, {TableFormat::json, {}});
  EXPECT_NE(json.str().find("\"name\": \"train_stepnet\""), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"name\": \"toy\""), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"type\": \"integer\""), std::string::npos) << json.str();
}

}  // namespace
}  // namespace riskstep
