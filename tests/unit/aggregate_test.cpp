#include "pipeline/tables/aggregate.h"

#include <gtest/gtest.h>

#include <cmath>

namespace riskstep {
namespace {

Table sample() {
  const double nan = std::nan("");
  Table t;
  t.add("model", std::vector<std::string>{"hs", "garch", "hs", "garch", "hs"})
      .add("level", std::vector<double>{0.01, 0.01, 0.01, 0.01, 0.05})
      .add("loss", std::vector<double>{1.0, 2.0, 3.0, nan, 10.0})
      .add("pass", std::vector<int64_t>{1, 0, 0, 1, 1});
  return t;
}

TEST(Aggregate, GroupsInFirstAppearanceOrderWithReducers) {
  const Table out = aggregate_table(sample(), {"model", "level"},
                                    {{"loss", Reducer::mean, ""},
                                     {"loss", Reducer::sd, ""},
                                     {"loss", Reducer::count, "n"},
                                     {"pass", Reducer::rate, "pass_rate"},
                                     {"loss", Reducer::min, ""},
                                     {"loss", Reducer::max, ""},
                                     {"pass", Reducer::sum, ""}});
  ASSERT_EQ(out.rows(), 3u);
  EXPECT_EQ(std::get<std::vector<std::string>>(out.column("model")),
            (std::vector<std::string>{"hs", "garch", "hs"}));
  EXPECT_EQ(std::get<std::vector<double>>(out.column("level")),
            (std::vector<double>{0.01, 0.01, 0.05}));
  const auto& mean = std::get<std::vector<double>>(out.column("loss_mean"));
  EXPECT_DOUBLE_EQ(mean[0], 2.0);  // hs 0.01: 1, 3
  EXPECT_DOUBLE_EQ(mean[1], 2.0);  // garch: 2 (NaN skipped)
  EXPECT_DOUBLE_EQ(mean[2], 10.0);
  const auto& sd = std::get<std::vector<double>>(out.column("loss_sd"));
  EXPECT_DOUBLE_EQ(sd[0], std::sqrt(2.0));  // sample sd of {1, 3}
  EXPECT_TRUE(std::isnan(sd[1]));           // one value
  EXPECT_EQ(std::get<std::vector<int64_t>>(out.column("n")), (std::vector<int64_t>{2, 1, 1}));
  EXPECT_EQ(std::get<std::vector<double>>(out.column("pass_rate")),
            (std::vector<double>{0.5, 0.5, 1.0}));
  EXPECT_EQ(std::get<std::vector<double>>(out.column("loss_min"))[0], 1.0);
  EXPECT_EQ(std::get<std::vector<double>>(out.column("loss_max"))[0], 3.0);
  EXPECT_EQ(std::get<std::vector<double>>(out.column("pass_sum"))[1], 1.0);
}

TEST(Aggregate, NoGroupByGivesOneRow) {
  const Table out = aggregate_table(sample(), {}, {{"pass", Reducer::rate, ""}});
  ASSERT_EQ(out.rows(), 1u);
  EXPECT_DOUBLE_EQ(std::get<std::vector<double>>(out.column("pass_rate"))[0], 0.6);
}

TEST(Aggregate, ErrorsNameTheColumn) {
  try {
    aggregate_table(sample(), {"modle"}, {});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("no column 'modle' (columns: model, level"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(aggregate_table(sample(), {}, {{"model", Reducer::mean, ""}}),
               std::invalid_argument);
  EXPECT_EQ(parse_reducer("rate"), Reducer::rate);
  EXPECT_THROW(parse_reducer("median"), std::invalid_argument);
}

}  // namespace
}  // namespace riskstep
