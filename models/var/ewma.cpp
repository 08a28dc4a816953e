#include "models/var/ewma.h"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

namespace riskstep {

std::vector<double> ewma_sigma(const std::vector<double>& returns, double lambda) {
  if (!(lambda > 0.0 && lambda < 1.0))
    throw std::invalid_argument("EWMA lambda must be in (0, 1), got " + std::to_string(lambda));
  if (returns.size() < kEwmaStartReturns)
    throw std::invalid_argument("EWMA needs at least 30 returns to start, got " +
                                std::to_string(returns.size()));
  double s2 = 0.0;
  for (size_t i = 0; i < kEwmaStartReturns; ++i) s2 += returns[i] * returns[i];
  s2 /= static_cast<double>(kEwmaStartReturns);
  std::vector<double> sigma(returns.size());
  for (size_t t = 0; t < returns.size(); ++t) {
    if (t > 0) s2 = lambda * s2 + (1.0 - lambda) * returns[t - 1] * returns[t - 1];
    sigma[t] = std::sqrt(s2);
  }
  return sigma;
}

VarForecast forecast_ewma(const std::vector<double>& returns, size_t first, size_t last,
                          const std::vector<double>& levels, double lambda) {
  check_forecast_range(returns.size(), first, last, kEwmaStartReturns, levels);
  const std::vector<double> sigma = ewma_sigma(returns, lambda);
  VarForecast forecast;
  forecast.levels = levels;
  forecast.var.assign(levels.size(), std::vector<double>(last - first));
  forecast.series["sigma"].assign(sigma.begin() + first, sigma.begin() + last);
  forecast.info["model"] = "ewma";
  forecast.info["lambda"] = std::to_string(lambda);
  for (size_t k = 0; k < levels.size(); ++k) {
    const double z = boost::math::quantile(boost::math::normal(), levels[k]);
    for (size_t t = first; t < last; ++t) forecast.var[k][t - first] = -z * sigma[t];
  }
  return forecast;
}

}  // namespace riskstep
