#pragma once
// Diebold and Mariano (1995) test of equal expected loss of two forecasts of the same days:
// d_t = a_t - b_t, statistic = mean(d) / sqrt(S / T) with S the Newey-West long-run variance of d
// (Bartlett weights 1 - j/(lags+1), j = 1..lags), asymptotically N(0, 1); two-sided p-value.
// Negative: a has the lower loss.
#include <cstddef>
#include <vector>

namespace riskstep {

struct DieboldMarianoResult {
  double mean_difference = 0.0;
  double statistic = 0.0;
  double p_value = 1.0;  // 1 when the differences do not vary
  size_t days = 0;
  int lags = 0;
};

// lags < 0: floor(T^(1/3)). Throws std::invalid_argument on unequal lengths or fewer than 3 days.
DieboldMarianoResult diebold_mariano(const std::vector<double>& a, const std::vector<double>& b,
                                     int lags = -1);

}  // namespace riskstep
