#include "models/var/forecast.h"

#include <stdexcept>

namespace riskstep {

void check_forecast_range(size_t returns_size, size_t first, size_t last, size_t window,
                          const std::vector<double>& levels) {
  if (window < 2) throw std::invalid_argument("VaR window must be at least 2 returns");
  if (first < window)
    throw std::invalid_argument("first test day " + std::to_string(first) +
                                " leaves fewer than window=" + std::to_string(window) +
                                " returns before it");
  if (first > last || last > returns_size)
    throw std::invalid_argument("test days [" + std::to_string(first) + ", " +
                                std::to_string(last) + ") do not lie inside the " +
                                std::to_string(returns_size) + " returns");
  for (double level : levels)
    if (!(level > 0.0 && level < 1.0))
      throw std::invalid_argument("VaR tail probability " + std::to_string(level) +
                                  " is not in (0, 1)");
}

}  // namespace riskstep
