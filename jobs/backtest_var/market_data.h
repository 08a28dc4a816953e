#pragma once
// Where a VaR task's returns come from: a price CSV named by the task, or the embedded synthetic
// market. Parsed files are cached per process because a sweep reads each index many times.
#include <string>

#include "jobs/backtest_var/backtest_settings.h"
#include "models/var/returns.h"

namespace riskstep {

struct MarketData {
  std::string source;        // file path, or "synthetic:<index>"
  std::string input_sha256;  // of the file's bytes, or of the synthetic parameters and seed
  ReturnSeries returns;
};

// From `data` (a CSV path, or "synthetic"), else `data_dir` + "/<index>.csv", and
// `price_column`. The synthetic market is seeded from the index name, so "gspc" is the same
// series in every task and every run.
MarketData load_market_data(const BacktestSettings& settings);

}  // namespace riskstep
