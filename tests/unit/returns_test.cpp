#include "models/var/returns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "data/market/price_csv.h"
#include "test_data.h"

namespace riskstep {
namespace {

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(Returns, SimpleReturnsAreFractionsDatedOnTheLaterDay) {
  const ReturnSeries series =
      simple_returns({"2020-01-02", "2020-01-03", "2020-01-06"}, {100.0, 110.0, 99.0});
  EXPECT_EQ(series.dates, (std::vector<std::string>{"2020-01-03", "2020-01-06"}));
  ASSERT_EQ(series.returns.size(), 2u);
  EXPECT_NEAR(series.returns[0], 0.10, 1e-15);
  EXPECT_NEAR(series.returns[1], -0.10, 1e-15);
}

TEST(Returns, SimpleReturnsOfOnePriceAreEmpty) {
  EXPECT_TRUE(simple_returns({"2020-01-02"}, {100.0}).returns.empty());
  EXPECT_TRUE(simple_returns({}, {}).dates.empty());
}

TEST(Returns, SimpleReturnsRejectBadInput) {
  EXPECT_NE(error_of([] {
              simple_returns({"2020-01-02"}, {1.0, 2.0});
            }).find("1 dates but 2 prices"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              simple_returns({"2020-01-02", "2020-01-03"}, {1.0, 0.0});
            }).find("2020-01-03"),
            std::string::npos);
  EXPECT_NE(error_of([] { simple_returns({"2020-01-02"}, {NAN}); }).find("positive finite"),
            std::string::npos);
}

TEST(Returns, ParsesNamedAndExplicitPeriods) {
  const TestPeriod calm = parse_period("calm");
  EXPECT_EQ(calm.name, "calm");
  EXPECT_EQ(calm.first, "2017-01-01");
  EXPECT_EQ(calm.last, "2018-12-31");
  const TestPeriod covid = parse_period("covid");
  EXPECT_EQ(covid.first, "2021-01-01");
  EXPECT_EQ(covid.last, "2022-12-31");
  const TestPeriod custom = parse_period("2020-02-29:2020-03-31");
  EXPECT_EQ(custom.name, "2020-02-29:2020-03-31");
  EXPECT_EQ(custom.first, "2020-02-29");
  EXPECT_EQ(custom.last, "2020-03-31");
  const TestPeriod year = parse_period("2020");
  EXPECT_EQ(year.name, "2020");
  EXPECT_EQ(year.first, "2020-01-01");
  EXPECT_EQ(year.last, "2020-12-31");
  const TestPeriod years = parse_period("2008:2009");
  EXPECT_EQ(years.first, "2008-01-01");
  EXPECT_EQ(years.last, "2009-12-31");
}

TEST(Returns, RejectsBadPeriods) {
  EXPECT_NE(error_of([] { parse_period("stormy"); }).find("'stormy' is unknown; expected 'calm'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_period("20201"); }).find("a year 'YYYY'"), std::string::npos);
  EXPECT_NE(error_of([] { parse_period("2009:2008"); }).find("ends before it starts"),
            std::string::npos);
  EXPECT_NE(
      error_of([] { parse_period("2021-02-29:2021-03-31"); }).find("'2021-02-29' is not a valid"),
      std::string::npos);
  EXPECT_NE(error_of([] { parse_period("2021-01-01:2021/03/31"); }).find("'2021/03/31'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_period("2021-03-01:2021-01-01"); }).find("ends before it starts"),
            std::string::npos);
}

ReturnSeries daily_series(const std::vector<std::string>& dates) {
  return ReturnSeries{dates, std::vector<double>(dates.size(), 0.0)};
}

TEST(Returns, TestWindowIncludesBothEndsOfThePeriod) {
  const ReturnSeries series = daily_series(
      {"2020-12-30", "2020-12-31", "2021-01-04", "2021-01-05", "2021-01-06", "2021-01-07"});
  const TestWindow window = select_test_window(series, parse_period("2021-01-01:2021-01-06"), 2);
  EXPECT_EQ(window.first, 2u);
  EXPECT_EQ(window.last, 5u);
  EXPECT_EQ(window.size(), 3u);
  const TestWindow exact = select_test_window(series, parse_period("2021-01-04:2021-01-04"), 2);
  EXPECT_EQ(exact.first, 2u);
  EXPECT_EQ(exact.last, 3u);
}

TEST(Returns, TestWindowNeedsEnoughHistory) {
  const ReturnSeries series = daily_series({"2020-12-30", "2020-12-31", "2021-01-04"});
  const std::string message =
      error_of([&] { select_test_window(series, parse_period("covid"), 3); });
  EXPECT_NE(message.find("period covid (2021-01-01..2022-12-31) needs 3 returns of history"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("only 2 available"), std::string::npos) << message;
}

TEST(Returns, TestWindowMustContainReturns) {
  const ReturnSeries series = daily_series({"2020-12-30", "2020-12-31"});
  const std::string message =
      error_of([&] { select_test_window(series, parse_period("calm"), 0); });
  EXPECT_NE(message.find("period calm (2017-01-01..2018-12-31) contains no returns"),
            std::string::npos)
      << message;
}

// The rows of a CSV file split into fields, header skipped; the thesis files hold no quoted commas,
// so a plain split is enough here.
std::vector<std::vector<std::string>> csv_rows(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    for (std::string field; std::getline(stream, field, ',');) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

TEST(Returns, ThesisReturnsMatchTheRColumn) {
  RISKSTEP_REQUIRE_SHARED_DATA(data);
  for (const std::string index : {"gspc", "ftse", "stoxx50e"}) {
    SCOPED_TRACE(index);
    const std::string path = data + "/herrig2023/prices/" + index + ".csv";
    const PriceSeries prices = read_price_csv(path);
    const ReturnSeries series = simple_returns(prices.dates, prices.prices);
    const auto rows = csv_rows(path);
    ASSERT_EQ(rows.size(), series.returns.size() + 1);
    EXPECT_EQ(rows[0][3], "NA");
    double worst = 0.0;
    for (size_t i = 0; i < series.returns.size(); ++i) {
      ASSERT_EQ(rows[i + 1][1], series.dates[i]);
      worst = std::max(worst, std::abs(std::stod(rows[i + 1][3]) - series.returns[i]));
    }
    EXPECT_LE(worst, 1e-12);
  }
}

TEST(Returns, TestWindowsMatchTheThesisTestSets) {
  RISKSTEP_REQUIRE_SHARED_DATA(data);
  struct Case {
    std::string index, period;
    size_t days;
  };
  const std::vector<Case> cases = {{"ftse", "calm", 505},     {"ftse", "covid", 503},
                                   {"gspc", "calm", 502},     {"gspc", "covid", 503},
                                   {"stoxx50e", "calm", 500}, {"stoxx50e", "covid", 508}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.index + " " + c.period);
    const PriceSeries prices = read_price_csv(data + "/herrig2023/prices/" + c.index + ".csv");
    const ReturnSeries series = simple_returns(prices.dates, prices.prices);
    const TestWindow window = select_test_window(series, parse_period(c.period));
    EXPECT_EQ(window.size(), c.days);
    // The thesis' test set lists the same days with loss = -R.
    const auto test_set =
        csv_rows(data + "/herrig2023/test_sets/" + c.index + "_" + c.period + ".csv");
    ASSERT_EQ(test_set.size(), window.size());
    for (size_t i = 0; i < test_set.size(); ++i) {
      ASSERT_EQ(test_set[i][1], series.dates[window.first + i]);
      ASSERT_NEAR(std::stod(test_set[i][2]), -series.returns[window.first + i], 1e-12);
    }
    if (c.index == "gspc" && c.period == "calm") {
      EXPECT_EQ(series.dates[window.first], "2017-01-03");
    }
  }
}

}  // namespace
}  // namespace riskstep
