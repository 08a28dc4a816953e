#include "models/var/unconditional.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "models/var/historical_simulation.h"

namespace riskstep {

VarForecast forecast_unconditional(const std::vector<double>& returns, size_t first, size_t last,
                                   const std::vector<double>& levels, size_t start) {
  check_forecast_range(returns.size(), first, last, 2, levels);
  if (first < start + 2)
    throw std::invalid_argument(
        "the unconditional quantile needs at least 2 returns before the "
        "first test day from its start");
  VarForecast forecast;
  forecast.levels = levels;
  forecast.var.assign(levels.size(), std::vector<double>(last - first));
  forecast.info["model"] = "unconditional";
  forecast.info["start"] = std::to_string(start);
  // Kept sorted as the window grows by one return a day.
  std::vector<double> sorted(returns.begin() + start, returns.begin() + first);
  std::sort(sorted.begin(), sorted.end());
  for (size_t t = first; t < last; ++t) {
    if (t > first)
      sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), returns[t - 1]), returns[t - 1]);
    for (size_t k = 0; k < levels.size(); ++k)
      forecast.var[k][t - first] = -type7_quantile_sorted(sorted, levels[k]);
  }
  return forecast;
}

}  // namespace riskstep
