#include "jobs/backtest_var/tail_forecasts.h"

#include <stdexcept>

#include "models/backtest/expected_shortfall.h"
#include "models/var/innovations.h"

namespace riskstep {

namespace {

const std::vector<double>& series(const VarForecast& forecast, const std::string& name) {
  const auto it = forecast.series.find(name);
  if (it == forecast.series.end())
    throw std::logic_error("tail forecast: the forecast has no series '" + name + "'");
  return it->second;
}

TailForecast location_scale(const std::vector<double>& location, const std::vector<double>& scale,
                            GarchDistribution distribution, const std::vector<double>& shape,
                            double level) {
  TailForecast tail;
  for (size_t day = 0; day < scale.size(); ++day) {
    const double mean = location.empty() ? 0.0 : location[day];
    const double form = shape.empty() ? 0.0 : shape[day];
    tail.es.push_back(location_scale_es(mean, scale[day], distribution, form, level));
    tail.samplers.push_back(location_scale_loss_sampler(mean, scale[day], distribution, form));
  }
  tail.scale = scale;
  return tail;
}

}  // namespace

TailForecast tail_forecast(const std::string& model, const std::vector<double>& returns,
                           size_t first, size_t last, size_t window, const VarForecast& forecast,
                           const MixtureForecast& mixture, double level) {
  if (model == "hs") {
    TailForecast tail;
    tail.es = historical_es_series(returns, first, last, level, window);
    tail.samplers = historical_loss_samplers(returns, first, last, window);
    return tail;
  }
  if (model == "cmm")
    return location_scale(series(forecast, "mean"), series(forecast, "sd"),
                          GarchDistribution::normal, {}, level);
  if (model == "garch")
    return location_scale({}, series(forecast, "sigma"),
                          parse_garch_distribution(forecast.info.at("distribution")),
                          series(forecast, "shape"), level);
  TailForecast tail;
  tail.es = mixture_es_series(mixture.mu, mixture.sigma, mixture.pi, mixture.components, level);
  tail.samplers = mixture_loss_samplers(mixture.mu, mixture.sigma, mixture.pi, mixture.components);
  return tail;
}

}  // namespace riskstep
