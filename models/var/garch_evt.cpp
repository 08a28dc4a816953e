#include "models/var/garch_evt.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>

namespace riskstep {

EvtTail fit_evt_tail(const std::vector<double>& z, size_t k) {
  if (k < 5 || k >= z.size())
    throw std::invalid_argument("GARCH-EVT: " + std::to_string(k) + " excesses of " +
                                std::to_string(z.size()) +
                                " returns; needs at least 5 and fewer than the window");
  std::vector<double> losses(z.size());
  for (size_t i = 0; i < z.size(); ++i) losses[i] = -z[i];
  std::sort(losses.begin(), losses.end(), std::greater<>());
  EvtTail tail;
  tail.n = z.size();
  tail.k = k;
  tail.threshold = losses[k];
  std::vector<double> excesses(k);
  for (size_t i = 0; i < k; ++i) excesses[i] = losses[i] - tail.threshold;
  tail.gpd = fit_gpd(excesses);
  return tail;
}

VarForecast forecast_garch_evt(const std::vector<double>& returns, size_t first, size_t last,
                               const std::vector<double>& levels, const GarchEvtOptions& options) {
  check_forecast_range(returns.size(), first, last, options.window, levels);
  if (!(options.tail > 0.0 && options.tail < 1.0))
    throw std::invalid_argument("GARCH-EVT tail fraction must be in (0, 1)");
  const size_t k = static_cast<size_t>(std::floor(options.tail * double(options.window)));
  for (double level : levels)
    if (!(level < double(k) / double(options.window)))
      throw std::invalid_argument("GARCH-EVT: level " + std::to_string(level) +
                                  " is not below the tail fraction k/window");
  VarForecast forecast;
  forecast.levels = levels;
  const size_t days = last - first;
  forecast.var.assign(levels.size(), std::vector<double>(days));
  for (const char* name :
       {"sigma", "threshold", "gpd_shape", "gpd_scale", "gpd_converged", "tail_count"})
    forecast.series[name].resize(days);
  forecast.info["model"] = "garch_evt";
  forecast.info["window"] = std::to_string(options.window);
  forecast.info["kind"] = to_string(options.fit.kind);
  std::vector<double> window(options.window), z(options.window);
  for (size_t t = first; t < last; ++t) {
    std::copy(returns.begin() + (t - options.window), returns.begin() + t, window.begin());
    const GarchFit fit = fit_garch(window, GarchDistribution::normal, std::nullopt, options.fit);
    const std::vector<double> path =
        garch_variance_path(window, fit.parameters, options.fit.initial_variance, options.fit.kind);
    for (size_t i = 0; i < window.size(); ++i) z[i] = window[i] / std::sqrt(path[i]);
    const double sigma = std::sqrt(path.back());
    const EvtTail tail = fit_evt_tail(z, k);
    const size_t day = t - first;
    for (size_t j = 0; j < levels.size(); ++j)
      forecast.var[j][day] =
          sigma * gpd_tail_var(tail.threshold, tail.gpd, tail.n, tail.k, levels[j]);
    forecast.series["sigma"][day] = sigma;
    forecast.series["threshold"][day] = tail.threshold;
    forecast.series["gpd_shape"][day] = tail.gpd.xi;
    forecast.series["gpd_scale"][day] = tail.gpd.beta;
    forecast.series["gpd_converged"][day] = tail.gpd.converged ? 1.0 : 0.0;
    forecast.series["tail_count"][day] = double(k);
    forecast.residuals.push_back(z);
  }
  return forecast;
}

}  // namespace riskstep
