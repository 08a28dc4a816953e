#pragma once
// Where a VaR task's returns come from: a price CSV named by the task, or the embedded synthetic
// market. Parsed files are cached per process because a sweep reads each index many times.
#include <string>

#include "models/var/returns.h"
#include "pipeline/task.h"

namespace riskstep {

struct MarketData {
  std::string source;        // file path, or "synthetic:<index>"
  std::string input_sha256;  // of the file's bytes, or of the synthetic parameters and seed
  ReturnSeries returns;
};

// Parameters read: `data` (a CSV path, or "synthetic"), else `data_dir` + "/<index>.csv";
// `price_column` (optional). The synthetic market is seeded from the index name, so "gspc" is
// the same series in every task and every run.
MarketData load_market_data(const Task& task);

}  // namespace riskstep
