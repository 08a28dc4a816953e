#pragma once
// Does a model's VaR respond to volatility? The least-squares slope of log VaR_t on log sigma_t
// over the test days, sigma_t the RiskMetrics EWMA volatility known at t - 1 (models/var/ewma.h):
// about 1 for a model that scales with volatility (GARCH, EWMA, filtered HS), about 0 for a
// constant VaR. Days with VaR <= 0 are left out; 0 (no measurable response) when fewer than 3
// days remain or sigma does not vary.
#include <vector>

namespace riskstep {

double log_log_slope(const std::vector<double>& var, const std::vector<double>& sigma);

}  // namespace riskstep
