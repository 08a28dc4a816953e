#include "models/var/cmm.h"

#include <boost/math/distributions/normal.hpp>
#include <cmath>

namespace riskstep {

VarForecast forecast_cmm(const std::vector<double>& returns, size_t first, size_t last,
                         const std::vector<double>& levels, size_t window) {
  check_forecast_range(returns.size(), first, last, window, levels);
  VarForecast forecast;
  forecast.levels = levels;
  forecast.var.assign(levels.size(), std::vector<double>(last - first));
  forecast.series["mean"].resize(last - first);
  forecast.series["sd"].resize(last - first);
  forecast.info["model"] = "cmm";
  forecast.info["window"] = std::to_string(window);
  std::vector<double> z(levels.size());
  const boost::math::normal standard_normal;
  for (size_t k = 0; k < levels.size(); ++k)
    z[k] = boost::math::quantile(standard_normal, levels[k]);
  const double n = static_cast<double>(window);
  for (size_t t = first; t < last; ++t) {
    // Two passes per window: a running sum would drift and break the 1e-12 match with R.
    double sum = 0.0;
    for (size_t i = t - window; i < t; ++i) sum += returns[i];
    const double mean = sum / n;
    double squares = 0.0;
    for (size_t i = t - window; i < t; ++i) squares += (returns[i] - mean) * (returns[i] - mean);
    const double sd = std::sqrt(squares / (n - 1.0));
    forecast.series["mean"][t - first] = mean;
    forecast.series["sd"][t - first] = sd;
    for (size_t k = 0; k < levels.size(); ++k) forecast.var[k][t - first] = -(mean + z[k] * sd);
  }
  return forecast;
}

}  // namespace riskstep
