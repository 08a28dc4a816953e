// riskstep aggregate's tables per job kind: StepNet accuracy/NSI per attention, kinds kept apart.
#include "app/study_table.h"
#include "jobs/study_kinds.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "jobs/backtest_var/var_table.h"
#include "jobs/train_stepnet/stepnet_table.h"

namespace riskstep {
namespace {

JobRegistry study_registry() {
  JobRegistry registry;
  add_study_kinds(registry);
  return registry;
}

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
  const auto& mean = std::get<std::vector<double>>(table.column("final_test_accuracy_mean"));
  const auto& sd = std::get<std::vector<double>>(table.column("final_test_accuracy_sd"));
  EXPECT_NEAR(mean[0], 0.82, 1e-12);
  EXPECT_NEAR(mean[1], 0.72, 1e-12);
  EXPECT_NEAR(sd[0], std::sqrt(2 * 0.02 * 0.02), 1e-12);  // sample sd of 0.80 and 0.84
  EXPECT_NEAR(std::get<std::vector<double>>(table.column("final_test_accuracy_min"))[1], 0.70,
              1e-12);
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
  const Table toy = study_table(study_registry(), "toy", other, {});
  EXPECT_EQ(std::get<std::vector<int64_t>>(toy.column("tasks")), (std::vector<int64_t>{2}));

  Table both = summary.rows_at({0, 1});
  EXPECT_EQ(std::get<std::vector<std::string>>(both.column("task_id")),
            (std::vector<std::string>{"a", "b"}));
  std::ostringstream markdown;
  print_study_tables(markdown, study_registry(), summary, {});
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
  print_study_tables(two, study_registry(), mixed, {});
  EXPECT_NE(two.str().find("## train_stepnet\n"), std::string::npos) << two.str();
  EXPECT_NE(two.str().find("## toy\n"), std::string::npos) << two.str();
  std::ostringstream csv;
  EXPECT_THROW(
      try {
        print_study_tables(csv, study_registry(), mixed, {TableFormat::csv, {}});
      } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(),
                     "--csv prints one job kind at a time; these results hold train_stepnet, toy "
                     "(--format json prints them all)");
        throw;
      },
      std::invalid_argument);
  // JSON holds every kind's table, named, with typed columns and NaN as null.
  std::ostringstream json;
  print_study_tables(json, study_registry(), mixed, {TableFormat::json, {}});
  EXPECT_NE(json.str().find("\"name\": \"train_stepnet\""), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"name\": \"toy\""), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"type\": \"integer\""), std::string::npos) << json.str();
}

}  // namespace
}  // namespace riskstep

namespace riskstep {
namespace {

// A setting with several values for one model gets its own column and rows (GARCH at windows of
// 251 and 1000); one that differs only between models (the networks lack a window) does not.
TEST(VarTable, SettingsThatVaryWithinAModelKeepTheirRowsApart) {
  Table summary;
  const std::vector<std::string> model = {"garch", "garch", "hs", "mdn2", "mdn2"};
  summary.add("task_id", std::vector<std::string>{"a", "b", "c", "d", "e"})
      .add("kind", std::vector<std::string>(5, "backtest_var"))
      .add("index", std::vector<std::string>(5, "sp500"))
      .add("period", std::vector<std::string>(5, "2008"))
      .add("model", model)
      .add("window", std::vector<int64_t>{251, 1000, 251, 0, 0})
      .add("seed", std::vector<int64_t>{-1, -1, -1, 0, 1})
      .add("level", std::vector<double>(5, 0.01));
  for (const char* name : {"hits", "hit_rate", "lr_uc", "p_uc", "lr_ind", "p_ind", "lr_cc", "p_cc",
                           "pass_uc", "pass_cc", "volatility_correlation"})
    summary.add(name, std::vector<double>{1, 2, 3, 4, 5});
  const Table table = var_table(summary, {});
  EXPECT_TRUE(table.has("window"));
  EXPECT_EQ(table.rows(), 4u);  // garch 251, garch 1000, hs, mdn2 over two seeds
  Table one_window = summary;
  std::get<std::vector<int64_t>>(one_window.columns[5])[1] = 251;
  one_window = one_window.rows_at({0, 2, 3, 4});
  EXPECT_FALSE(var_table(one_window, {}).has("window"));
}

}  // namespace
}  // namespace riskstep
