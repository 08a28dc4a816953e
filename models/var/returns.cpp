#include "models/var/returns.h"

#include <algorithm>
#include <boost/date_time/gregorian/gregorian.hpp>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace riskstep {
namespace {

bool is_iso_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  try {
    boost::gregorian::date(std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)),
                           std::stoi(text.substr(8, 2)));
  } catch (const std::out_of_range&) {  // boost's bad_year/bad_month/bad_day_of_month
    return false;
  }
  return true;
}

bool is_year(const std::string& text) {
  return text.size() == 4 && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c));
         });
}

}  // namespace

ReturnSeries simple_returns(const std::vector<std::string>& dates,
                            const std::vector<double>& prices) {
  if (dates.size() != prices.size())
    throw std::invalid_argument("simple_returns: " + std::to_string(dates.size()) + " dates but " +
                                std::to_string(prices.size()) +
                                " prices; expected one price per date");
  for (size_t i = 0; i < prices.size(); ++i)
    if (!(prices[i] > 0.0) || !std::isfinite(prices[i]))
      throw std::invalid_argument("simple_returns: price on " + dates[i] + " is " +
                                  std::to_string(prices[i]) +
                                  "; expected a positive finite number");
  ReturnSeries series;
  if (prices.size() < 2) return series;
  series.dates.assign(dates.begin() + 1, dates.end());
  series.returns.reserve(prices.size() - 1);
  for (size_t i = 0; i + 1 < prices.size(); ++i)
    series.returns.push_back(prices[i + 1] / prices[i] - 1.0);
  return series;
}

TestPeriod parse_period(const std::string& text) {
  if (text == "calm") return {"calm", "2017-01-01", "2018-12-31"};
  if (text == "covid") return {"covid", "2021-01-01", "2022-12-31"};
  const std::string expected =
      "; expected 'calm', 'covid', a year 'YYYY', years 'YYYY:YYYY' or 'YYYY-MM-DD:YYYY-MM-DD'";
  if (is_year(text)) return {text, text + "-01-01", text + "-12-31"};
  const size_t colon = text.find(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("period '" + text + "' is unknown" + expected);
  TestPeriod period{text, text.substr(0, colon), text.substr(colon + 1)};
  if (is_year(period.first) && is_year(period.last)) {
    period.first += "-01-01";
    period.last += "-12-31";
  }
  for (const std::string* date : {&period.first, &period.last})
    if (!is_iso_date(*date))
      throw std::invalid_argument("period '" + text + "': '" + *date +
                                  "' is not a valid calendar date" + expected);
  if (period.last < period.first)
    throw std::invalid_argument("period '" + text +
                                "' ends before it starts; expected first <= last");
  return period;
}

TestWindow select_test_window(const ReturnSeries& series, const TestPeriod& period,
                              size_t history) {
  const auto& dates = series.dates;
  const std::string span = "period " + period.name + " (" + period.first + ".." + period.last + ")";
  TestWindow window;
  window.first = std::lower_bound(dates.begin(), dates.end(), period.first) - dates.begin();
  window.last = std::upper_bound(dates.begin(), dates.end(), period.last) - dates.begin();
  if (window.first >= window.last) {
    const std::string covered =
        dates.empty() ? "the series has no returns"
                      : "the returns run from " + dates.front() + " to " + dates.back();
    throw std::invalid_argument(span + " contains no returns; " + covered);
  }
  if (window.first < history)
    throw std::invalid_argument(span + " needs " + std::to_string(history) +
                                " returns of history before " + dates[window.first] + ", only " +
                                std::to_string(window.first) + " available");
  return window;
}

}  // namespace riskstep
