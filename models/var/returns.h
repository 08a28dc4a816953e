#pragma once
// Simple returns from a price series and the test window of a backtest period.
// Conventions (study var_herrig2023): returns are fractions, loss = -return, VaR is positive.
#include <cstddef>
#include <string>
#include <vector>

namespace riskstep {

struct ReturnSeries {
  std::vector<std::string> dates;  // ISO YYYY-MM-DD, the day the return is realised
  std::vector<double> returns;     // fractions, e.g. -0.012 for a 1.2% fall
};

// returns[i] = prices[i+1]/prices[i] - 1, dated dates[i+1]. Throws std::invalid_argument when the
// sizes differ or a price is not positive and finite.
ReturnSeries simple_returns(const std::vector<std::string>& dates,
                            const std::vector<double>& prices);

struct TestPeriod {
  std::string name, first, last;  // inclusive ISO dates
};

// "calm" -> 2017-01-01..2018-12-31, "covid" -> 2021-01-01..2022-12-31, a year "2020" ->
// 2020-01-01..2020-12-31, years "2008:2009" -> 2008-01-01..2009-12-31, or "YYYY-MM-DD:YYYY-MM-DD"
// (name = the text as written: "2020" and "2020-01-01:2020-12-31" are two names, two task ids).
// Throws std::invalid_argument naming the text and what was expected.
TestPeriod parse_period(const std::string& text);

struct TestWindow {
  size_t first = 0, last = 0;  // indexes into ReturnSeries::returns, [first, last)
  size_t size() const { return last - first; }
};

// Every return dated inside the period is one test day. Requires at least `history` returns before
// `first` (the estimation window of the first forecast); otherwise throws std::invalid_argument
// naming the period and how many returns are available.
TestWindow select_test_window(const ReturnSeries& series, const TestPeriod& period,
                              size_t history = 251);

}  // namespace riskstep
