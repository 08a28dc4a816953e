#include "models/var/historical_simulation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace riskstep {

double type7_quantile_sorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) throw std::invalid_argument("quantile of an empty sample");
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

VarForecast forecast_historical_simulation(const std::vector<double>& returns, size_t first,
                                           size_t last, const std::vector<double>& levels,
                                           size_t window) {
  check_forecast_range(returns.size(), first, last, window, levels);
  VarForecast forecast;
  forecast.levels = levels;
  forecast.var.assign(levels.size(), std::vector<double>(last - first));
  forecast.info["model"] = "historical_simulation";
  forecast.info["quantile"] = "type7";
  forecast.info["window"] = std::to_string(window);
  std::vector<double> sorted(window);
  for (size_t t = first; t < last; ++t) {
    std::copy(returns.begin() + (t - window), returns.begin() + t, sorted.begin());
    std::sort(sorted.begin(), sorted.end());
    for (size_t k = 0; k < levels.size(); ++k)
      forecast.var[k][t - first] = -type7_quantile_sorted(sorted, levels[k]);
  }
  return forecast;
}

}  // namespace riskstep
