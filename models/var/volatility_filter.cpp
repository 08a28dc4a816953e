#include "models/var/volatility_filter.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/var/ewma.h"

namespace riskstep {

VolatilityFilter parse_volatility_filter(const std::string& name) {
  if (name == "none") return VolatilityFilter::none;
  if (name == "ewma") return VolatilityFilter::ewma;
  if (name == "garch") return VolatilityFilter::garch;
  throw std::invalid_argument("volatility filter '" + name + "': expected none, ewma or garch");
}

FilteredSigma filter_sigma(const std::vector<double>& returns, VolatilityFilter filter,
                           double ewma_lambda, const GarchOptions& garch) {
  FilteredSigma filtered;
  if (filter == VolatilityFilter::ewma) {
    filtered.sigma = ewma_sigma(returns, ewma_lambda);
    filtered.first = kEwmaStartReturns;
    for (size_t t = 0; t < filtered.first; ++t) filtered.sigma[t] = std::nan("");
    return filtered;
  }
  if (filter != VolatilityFilter::garch)
    throw std::invalid_argument("filter_sigma: no filter chosen");
  if (garch.distribution == GarchDistribution::automatic)
    throw std::invalid_argument("the GARCH volatility filter needs a concrete distribution");
  if (returns.size() <= garch.window)
    throw std::invalid_argument("the GARCH volatility filter needs more than " +
                                std::to_string(garch.window) + " returns");
  const VarForecast daily = forecast_garch(returns, garch.window, returns.size(), {}, garch);
  filtered.first = garch.window;
  filtered.sigma.assign(returns.size(), std::nan(""));
  const std::vector<double>& sigma = daily.series.at("sigma");
  for (size_t t = garch.window; t < returns.size(); ++t)
    filtered.sigma[t] = sigma[t - garch.window];
  return filtered;
}

}  // namespace riskstep
