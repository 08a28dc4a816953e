#include "data/market/price_csv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "test_data.h"

namespace riskstep {
namespace {

// Reads `text` as a price file and checks the single-line error names file:line and the problem.
::testing::AssertionResult fails_with(const std::string& text, size_t line,
                                      const std::string& problem,
                                      const PriceCsvOptions& options = {}) {
  const std::string path = testing::write_scratch_file("prices.csv", text);
  try {
    read_price_csv(path, options);
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    const std::string where = path + ":" + std::to_string(line) + ": ";
    if (message.rfind(where, 0) != 0)
      return ::testing::AssertionFailure()
             << "message '" << message << "' does not start with '" << where << "'";
    if (message.find(problem) == std::string::npos)
      return ::testing::AssertionFailure()
             << "message '" << message << "' does not mention '" << problem << "'";
    if (message.find('\n') != std::string::npos)
      return ::testing::AssertionFailure() << "message spans several lines: '" << message << "'";
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no error for:\n" << text;
}

const std::string kHeader = "Date,Open,High,Low,Close,Volume\n";

TEST(PriceCsv, MissingFile) {
  const std::string path = testing::scratch_dir() + "/absent.csv";
  try {
    read_price_csv(path);
    FAIL() << "no error for a missing file";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()).rfind(path + ":0: cannot open file", 0), 0u)
        << error.what();
  }
}

TEST(PriceCsv, EmptyFile) {
  EXPECT_TRUE(fails_with("", 1, "file is empty"));
}

TEST(PriceCsv, FileOfBlankLines) {
  EXPECT_TRUE(fails_with("\r\n\n  \n", 1, "file is empty"));
}

TEST(PriceCsv, HeaderWithoutRows) {
  EXPECT_TRUE(fails_with(kHeader, 2, "no price rows"));
}

TEST(PriceCsv, MissingHeader) {
  EXPECT_TRUE(fails_with("2020-01-02,100\n2020-01-03,101\n", 1, "header has no date column"));
}

TEST(PriceCsv, MissingDateColumn) {
  EXPECT_TRUE(fails_with("Day,Close\n2020-01-02,100\n", 1,
                         "no date column (found 'Day', 'Close'); expected 'Date' or 'date'"));
}

TEST(PriceCsv, MissingPriceColumn) {
  EXPECT_TRUE(fails_with("Date,Open\n2020-01-02,100\n", 1,
                         "no price column (found 'Date', 'Open'); expected 'Close' or 'close'"));
}

TEST(PriceCsv, MissingRequestedColumn) {
  EXPECT_TRUE(fails_with(kHeader + "2020-01-02,1,2,0.5,1.5,10\n", 1, "expected 'Adj Close'",
                         PriceCsvOptions{"Adj Close"}));
}

TEST(PriceCsv, PriceColumnNamedTwice) {
  EXPECT_TRUE(fails_with("date,close,Close\n2020-01-02,1,2\n", 1,
                         "price column twice (columns 2 and 3); expected exactly one"));
}

TEST(PriceCsv, DateNotIso) {
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,1\n02/01/2020,2\n", 3,
                         "date '02/01/2020' is not a valid"));
}

TEST(PriceCsv, DateNotInCalendar) {
  EXPECT_TRUE(fails_with("date,close\n2021-02-28,1\n2021-02-29,2\n", 3,
                         "'2021-02-29' is not a valid calendar date"));
  EXPECT_TRUE(
      fails_with("date,close\n2021-13-01,1\n", 2, "'2021-13-01' is not a valid calendar date"));
}

TEST(PriceCsv, LeapDayIsValid) {
  const auto path =
      testing::write_scratch_file("leap.csv", "date,close\n2020-02-28,1\n2020-02-29,2\n");
  EXPECT_EQ(read_price_csv(path).dates.back(), "2020-02-29");
}

TEST(PriceCsv, DuplicateDate) {
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,1\n2020-01-03,2\n2020-01-03,3\n", 4,
                         "duplicate date 2020-01-03 (also on line 3)"));
}

TEST(PriceCsv, UnsortedDates) {
  EXPECT_TRUE(fails_with("date,close\n2020-01-03,1\n2020-01-02,2\n", 3,
                         "date 2020-01-02 comes after 2020-01-03 (line 2)"));
}

TEST(PriceCsv, EmptyPrice) {
  EXPECT_TRUE(fails_with(kHeader + "2020-01-02,1,2,0.5,,10\n", 2, "price column 'Close' is empty"));
}

TEST(PriceCsv, NaPrice) {
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,1\n2020-01-03,NA\n", 3, "is missing ('NA')"));
}

TEST(PriceCsv, NanPrice) {
  EXPECT_TRUE(
      fails_with("date,close\n2020-01-02,nan\n", 2, "is NaN; expected a positive finite number"));
}

TEST(PriceCsv, InfinitePrice) {
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,inf\n", 2, "is infinite"));
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,1e999\n", 2, "out of range"));
}

TEST(PriceCsv, ZeroPrice) {
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,1\n2020-01-03,0.0\n", 3, "is non-positive (0.0)"));
}

TEST(PriceCsv, NegativePrice) {
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,-5\n", 2, "is non-positive (-5)"));
}

TEST(PriceCsv, NonNumericPrice) {
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,abc\n", 2, "'abc' is not a number"));
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,12.5x\n", 2, "'12.5x' is not a number"));
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,\"1,5\"\n", 2, "'1,5' is not a number"));
}

TEST(PriceCsv, TooFewFields) {
  EXPECT_TRUE(fails_with(kHeader + "2020-01-02,1,2,0.5,1.5,10\n2020-01-03,1,2,1.5,10\n", 3,
                         "found 5 fields; expected 6"));
}

TEST(PriceCsv, TooManyFields) {
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,1,7\n", 2, "found 3 fields; expected 2"));
}

TEST(PriceCsv, UnclosedQuote) {
  EXPECT_TRUE(fails_with("date,close\n\"2020-01-02,1\n", 2, "is never closed"));
}

TEST(PriceCsv, TextAfterClosingQuote) {
  EXPECT_TRUE(
      fails_with("date,close\n\"2020-01-02\"x,1\n", 2, "unexpected text after the closing quote"));
}

TEST(PriceCsv, BlankLineInsideData) {
  EXPECT_TRUE(fails_with("date,close\n2020-01-02,1\n\n2020-01-03,2\n", 3, "blank line"));
}

TEST(PriceCsv, ReadsYahooCloseOrAdjClose) {
  const auto path = testing::write_scratch_file(
      "yahoo.csv",
      "Date,Open,High,Low,Close,Adj Close,Volume\n"
      "2018-12-28,2498.77,2520.27,2472.89,2485.73999,2485.73999,3702620000\n"
      "2018-12-31,2498.93994140625,2509.239990234375,2482.820068359375,2506.85009765625,2500.5,"
      "3461920000\n");
  const PriceSeries close = read_price_csv(path);
  EXPECT_EQ(close.source, path);
  EXPECT_EQ(close.column, "Close");
  EXPECT_EQ(close.dates, (std::vector<std::string>{"2018-12-28", "2018-12-31"}));
  EXPECT_EQ(close.prices, (std::vector<double>{2485.73999, 2506.85009765625}));
  const PriceSeries adjusted =
      read_price_csv(path, {"adj close"});  // names match case-insensitively
  EXPECT_EQ(adjusted.column, "Adj Close");
  EXPECT_EQ(adjusted.prices.back(), 2500.5);
}

TEST(PriceCsv, ReadsThesisLayoutWithNaInOtherColumns) {
  const auto path = testing::write_scratch_file(
      "thesis.csv",
      "\"\",\"date\",\"Close\",\"R\",\"r\",\"one_day_loss\",\"CMM_VaR\"\n"
      "\"1\",2001-01-02,1283.27002,NA,NA,NA,NA\n"
      "\"2\",2001-01-03,1347.560059,0.0500986059036897,0.0488840701445943,-50098.6059036897,NA\n");
  const PriceSeries series = read_price_csv(path);
  EXPECT_EQ(series.column, "Close");
  EXPECT_EQ(series.dates, (std::vector<std::string>{"2001-01-02", "2001-01-03"}));
  EXPECT_EQ(series.prices, (std::vector<double>{1283.27002, 1347.560059}));
}

TEST(PriceCsv, ReadsPlainDateCloseWithCrlfBomQuotesAndNoFinalNewline) {
  const auto path = testing::write_scratch_file(
      "plain.csv",
      "\xEF\xBB\xBF"
      "date,close\r\n2020-01-02,100.5\r\n\"2020-01-03\", \"101\"\r\n2020-01-06,+99e0");
  const PriceSeries series = read_price_csv(path);
  EXPECT_EQ(series.column, "close");
  EXPECT_EQ(series.dates, (std::vector<std::string>{"2020-01-02", "2020-01-03", "2020-01-06"}));
  EXPECT_EQ(series.prices, (std::vector<double>{100.5, 101.0, 99.0}));
}

TEST(PriceCsv, ToleratesTrailingBlankLines) {
  const auto path = testing::write_scratch_file("trail.csv", "date,close\n2020-01-02,1\n\n\r\n");
  EXPECT_EQ(read_price_csv(path).prices.size(), 1u);
}

TEST(PriceCsv, ReadsTheSharedIndexAndThesisFiles) {
  RISKSTEP_REQUIRE_SHARED_DATA(data);
  struct Expected {
    std::string file;
    size_t rows;
    std::string first, last;
  };
  const std::vector<Expected> files = {
      {"indices/sp500.csv", 10512, "1982-04-20", "2023-12-28"},
      {"indices/ftse100.csv", 10438, "1984-01-03", "2025-04-29"},
      {"indices/eurostoxx50.csv", 4525, "2007-03-30", "2025-04-29"},
      {"herrig2023/prices/gspc.csv", 5623, "2001-01-02", "2023-05-09"},
      {"herrig2023/prices/ftse.csv", 5686, "2001-01-02", "2023-05-09"},
      {"herrig2023/prices/stoxx50e.csv", 4053, "2007-03-30", "2023-05-09"},
  };
  for (const auto& expected : files) {
    SCOPED_TRACE(expected.file);
    const PriceSeries series = read_price_csv(data + "/" + expected.file);
    EXPECT_EQ(series.column, "Close");
    EXPECT_EQ(series.dates.size(), expected.rows);
    EXPECT_EQ(series.prices.size(), expected.rows);
    EXPECT_EQ(series.dates.front(), expected.first);
    EXPECT_EQ(series.dates.back(), expected.last);
  }
  const PriceSeries sp500 = read_price_csv(data + "/indices/sp500.csv");
  const auto day = std::find(sp500.dates.begin(), sp500.dates.end(), "2018-12-31");
  ASSERT_NE(day, sp500.dates.end());
  EXPECT_EQ(sp500.prices[day - sp500.dates.begin()], 2506.85009765625);
  const PriceSeries gspc = read_price_csv(data + "/herrig2023/prices/gspc.csv");
  EXPECT_EQ(gspc.prices.front(), 1283.27002);
  EXPECT_EQ(gspc.prices.back(), 4119.169922);
}

}  // namespace
}  // namespace riskstep
