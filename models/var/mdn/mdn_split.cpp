#include "models/var/mdn/mdn_split.h"

#include <algorithm>
#include <stdexcept>

#include "models/var/mdn/mdn_ensemble.h"

namespace riskstep {

MdnSplit mdn_split(const std::vector<std::string>& return_dates, size_t test_first,
                   size_t test_last, int lags, size_t history_first, bool with_validation) {
  const std::string where = "mdn split: ";
  if (lags < 1)
    throw std::invalid_argument(where + "lags is " + std::to_string(lags) + "; expected >= 1");
  const size_t n_lags = static_cast<size_t>(lags);
  if (!(test_first < test_last) || test_last > return_dates.size())
    throw std::invalid_argument(where + "test window [" + std::to_string(test_first) + ", " +
                                std::to_string(test_last) + ") is empty or beyond the " +
                                std::to_string(return_dates.size()) + " returns");
  if (!std::is_sorted(return_dates.begin(), return_dates.end()))
    throw std::invalid_argument(where + "return dates are not ascending");
  if (test_first < 4 * n_lags)
    throw std::invalid_argument(where + "test window starts at return " +
                                std::to_string(test_first) + "; expected at least " +
                                std::to_string(4 * n_lags) + " returns before it");
  // Rows dated before row i0-lags: row 0 (the first price, dated before every return) plus the
  // returns dated before return test_first-lags.
  const std::string& cut = return_dates[test_first - n_lags];
  const size_t rows_before =
      1 + (std::lower_bound(return_dates.begin(), return_dates.end(), cut) - return_dates.begin());
  const size_t end_valid = rows_before - 1;                         // a row index
  const size_t start = history_first == 0 ? 0 : history_first + 1;  // a row index
  if (start + 4 * n_lags > end_valid)
    throw std::invalid_argument(where + "the training window from return " +
                                std::to_string(history_first) + " leaves too little history");
  const size_t end_train =
      start + static_cast<size_t>(0.9 * static_cast<double>(end_valid - start));
  MdnSplit split;
  if (!with_validation) {
    split.train = {history_first + n_lags, test_first};
    split.validation = {test_first, test_first};
    split.test = {test_first, test_last};
    return split;
  }
  // Row r <-> return index r-1.
  split.train = {start + n_lags, end_train - 1};
  split.validation = {end_train - 1 + n_lags, end_valid - 1};
  split.test = {test_first, test_last};
  if (split.train.size() == 0 || split.validation.size() == 0)
    throw std::invalid_argument(
        where + "only " + std::to_string(test_first) +
        " returns before the test window; the training or validation block is empty");
  return split;
}

MdnSplitSizes mdn_split_sizes(const std::vector<std::string>& return_dates, size_t test_first,
                              size_t test_last, int lags) {
  const MdnSplit split = mdn_split(return_dates, test_first, test_last, lags);
  return {split.train.size(), split.validation.size(), split.test.size()};
}

}  // namespace riskstep
