#pragma once
// Historical simulation: VaR_t = -Q_p(returns[t-window .. t-1]) with the R type-7 quantile.
#include <cstddef>
#include <vector>

#include "models/var/forecast.h"

namespace riskstep {

// R type-7 (numpy default) linear-interpolation p-quantile of ascending-sorted values.
double type7_quantile_sorted(const std::vector<double>& sorted, double p);

VarForecast forecast_historical_simulation(const std::vector<double>& returns, size_t first,
                                           size_t last, const std::vector<double>& levels,
                                           size_t window = 251);

}  // namespace riskstep
