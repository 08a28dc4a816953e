#pragma once
// The study's train/validation/test split for the LSTM-MDN (var_herrig2023, "Split").
//
// The study counts rows of the thesis price file, where row 0 is the first price (no return) and
// row r holds return r-1 of our series. With i0 = test_first + 1 the first test row:
//   end_valid = last row dated before row i0-lags   (= test_first - lags + 1 - 1 for ascending
//   dates) end_train = floor(0.9 * end_valid) training targets rows lags+1 .. end_train-1,
//   validation targets rows end_train+lags .. end_valid-1
// (each block cut into sliding windows of `lags` inputs, so a block loses its first `lags` rows as
// targets). In return indexes a target t has inputs returns[t-lags .. t-1]. Row end_valid itself is
// used by no block, as in the author's code. gspc calm: 3601 / 392 / 502.
// A training window that starts later (history_first > 0, the return index it starts at) splits
// the rows from history_first+1 on the same way: end_train = start + floor(0.9 (end_valid -
// start)). history_first = 0 is the study's split.
// Without a validation block (`with_validation` false) every return before the test window is a
// training target: targets history_first+lags .. test_first-1, the last one the day before the
// first test day.
#include <cstddef>
#include <string>
#include <vector>

namespace riskstep {

struct IndexRange {
  size_t first = 0, last = 0;  // [first, last)
  size_t size() const { return last > first ? last - first : 0; }
};

struct MdnSplit {
  IndexRange train, validation, test;  // target indexes into the return series
};

// Throws std::invalid_argument when the window is empty, out of range, the dates are not
// ascending, or a block would be empty.
MdnSplit mdn_split(const std::vector<std::string>& return_dates, size_t test_first,
                   size_t test_last, int lags, size_t history_first = 0,
                   bool with_validation = true);

}  // namespace riskstep
