#pragma once
// Engle & Manganelli (2004) dynamic quantile test, out-of-sample form:
//   Hit_t = 1{loss_t >= VaR_t} - p regressed by OLS on X_t = (1, Hit_{t-1..t-lags}, VaR_t),
//   t = lags .. T-1;  DQ = Hit' X (X'X)^-1 X' Hit / (p (1 - p))  ~  chi2(rank X).
// X'X is inverted through a pivoted Gram-Schmidt that drops regressors linearly dependent on
// earlier ones (e.g. lagged hits that are constant when there are no hits), so the statistic is
// always the squared length of Hit's projection on the span of X; the degrees of freedom are the
// number of independent regressors (lags + 2 when X has full rank).
#include <cstdint>
#include <vector>

namespace riskstep {

struct DynamicQuantileResult {
  double statistic = 0.0;
  double p_value = 1.0;
  int64_t degrees_of_freedom = 0;
  int64_t observations = 0;  // 0 (statistic 0, p 1) when T <= lags + 1
};

DynamicQuantileResult dynamic_quantile_test(const std::vector<int64_t>& hits,
                                            const std::vector<double>& var, double p, int lags = 4);

}  // namespace riskstep
