#pragma once
// CMM (normal variance-covariance): VaR_t = -(mean + Phi^-1(p) * sd) of the window, sd with n-1.
#include <cstddef>
#include <vector>

#include "models/var/forecast.h"

namespace riskstep {

VarForecast forecast_cmm(const std::vector<double>& returns, size_t first, size_t last,
                         const std::vector<double>& levels, size_t window = 251);

}  // namespace riskstep
