#pragma once
// The null model: VaR_t = -Q_p(returns[start .. t-1]) with the type-7 quantile of historical
// simulation, every return from the first training date to the day before: the information a
// network trained once on all history sees, without any model of it.
#include <cstddef>
#include <vector>

#include "models/var/forecast.h"

namespace riskstep {

// info["start"]: the first return used (an index into `returns`).
VarForecast forecast_unconditional(const std::vector<double>& returns, size_t first, size_t last,
                                   const std::vector<double>& levels, size_t start);

}  // namespace riskstep
