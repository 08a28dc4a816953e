#include "models/var/filtered_hs.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/var/ewma.h"
#include "models/var/historical_simulation.h"

namespace riskstep {

namespace {

// z of the window before t and s_t, from the EWMA path of the whole series.
void ewma_day(const std::vector<double>& returns, const std::vector<double>& sigma, size_t t,
              size_t window, std::vector<double>& z, double& sigma_t) {
  for (size_t i = 0; i < window; ++i) {
    const size_t s = t - window + i;
    z[i] = returns[s] / sigma[s];
  }
  sigma_t = sigma[t];
}

// The day's GARCH fit: its in-sample variances standardise the window.
void garch_day(const std::vector<double>& returns, size_t t, const FhsOptions& options,
               std::vector<double>& z, double& sigma_t) {
  const std::vector<double> window(returns.begin() + (t - options.window), returns.begin() + t);
  const GarchFit fit =
      fit_garch(window, options.garch.distribution, std::nullopt, options.garch.fit);
  const std::vector<double> path = garch_variance_path(
      window, fit.parameters, options.garch.fit.initial_variance, options.garch.fit.kind);
  for (size_t i = 0; i < window.size(); ++i) z[i] = window[i] / std::sqrt(path[i]);
  sigma_t = std::sqrt(path.back());
}

}  // namespace

FhsFilter parse_fhs_filter(const std::string& name) {
  if (name == "ewma") return FhsFilter::ewma;
  if (name == "garch") return FhsFilter::garch;
  throw std::invalid_argument("FHS filter '" + name + "': expected ewma or garch");
}

VarForecast forecast_filtered_hs(const std::vector<double>& returns, size_t first, size_t last,
                                 const std::vector<double>& levels, const FhsOptions& options) {
  const bool ewma = options.filter == FhsFilter::ewma;
  // The EWMA filter's first 30 returns start it; the window must not reach before them.
  check_forecast_range(returns.size(), first, last, options.window + (ewma ? kEwmaStartReturns : 0),
                       levels);
  if (!ewma && options.garch.distribution == GarchDistribution::automatic)
    throw std::invalid_argument("FHS with the GARCH filter needs a concrete distribution");
  const std::vector<double> sigma =
      ewma ? ewma_sigma(returns, options.ewma_lambda) : std::vector<double>{};
  VarForecast forecast;
  forecast.levels = levels;
  forecast.var.assign(levels.size(), std::vector<double>(last - first));
  forecast.series["sigma"].resize(last - first);
  forecast.info["model"] = "filtered_hs";
  forecast.info["filter"] = ewma ? "ewma" : "garch";
  forecast.info["window"] = std::to_string(options.window);
  std::vector<double> z(options.window), sorted;
  for (size_t t = first; t < last; ++t) {
    double sigma_t = 0.0;
    if (ewma)
      ewma_day(returns, sigma, t, options.window, z, sigma_t);
    else
      garch_day(returns, t, options, z, sigma_t);
    sorted = z;
    std::sort(sorted.begin(), sorted.end());
    for (size_t k = 0; k < levels.size(); ++k)
      forecast.var[k][t - first] = -sigma_t * type7_quantile_sorted(sorted, levels[k]);
    forecast.series["sigma"][t - first] = sigma_t;
    forecast.residuals.push_back(z);
  }
  return forecast;
}

}  // namespace riskstep
