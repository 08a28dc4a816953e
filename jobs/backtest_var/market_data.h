#pragma once
// Where a VaR task's returns come from: a price CSV named by the task, or the embedded synthetic
// market. Parsed files are cached per process because a sweep reads each index many times.
#include <string>
#include <vector>

#include "jobs/backtest_var/backtest_settings.h"
#include "models/var/returns.h"

namespace riskstep {

struct MarketData {
  std::string source;  // file path, or "synthetic:<index>"
  std::vector<std::string> price_dates;
  std::vector<double> prices;
  ReturnSeries returns;
};

// From `data` (a CSV path, or "synthetic"), else `data_dir` + "/<index>.csv", and
// `price_column`. The synthetic market is seeded from the index name, so "gspc" is the same
// series in every task and every run. Throws std::invalid_argument naming the setting at fault
// (an index that is not a plain file name), std::runtime_error naming file and line.
MarketData load_market_data(const BacktestSettings& settings);

// Throws std::invalid_argument unless `index` is a plain name of [A-Za-z0-9._-] (it names
// <data_dir>/<index>.csv, never a path out of it).
void check_index_name(const std::string& index);

// The sha256 of the prices from the first row through `last_date` (ISO), one "date,price" line
// each with the price written exactly (shortest round trip): a task's input by content, so the
// same prices anywhere give the same task, and days appended after its test period change
// nothing.
std::string prices_sha256(const MarketData& market, const std::string& last_date);

}  // namespace riskstep
