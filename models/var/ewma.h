#pragma once
// RiskMetrics EWMA volatility with zero mean (J.P. Morgan 1996):
//   s2_0 = the mean of the squares of returns[0 .. 29] (the price file's first 30 returns),
//   s2_t = lambda s2_{t-1} + (1 - lambda) r_{t-1}^2   for t >= 1,
// so s_t uses returns before t only, once t >= 30. VaR_t = -s_t z_p, z_p the normal p-quantile.
#include <cstddef>
#include <vector>

#include "models/var/forecast.h"

namespace riskstep {

constexpr size_t kEwmaStartReturns = 30;

// s_0 .. s_{n-1} for the n returns (s_t the forecast for day t). Throws std::invalid_argument for
// fewer than 30 returns or lambda outside (0, 1).
std::vector<double> ewma_sigma(const std::vector<double>& returns, double lambda);

// Test days [first, last), first >= 30; series "sigma".
VarForecast forecast_ewma(const std::vector<double>& returns, size_t first, size_t last,
                          const std::vector<double>& levels, double lambda = 0.94);

}  // namespace riskstep
