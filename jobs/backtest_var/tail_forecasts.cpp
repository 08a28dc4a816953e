#include "jobs/backtest_var/tail_forecasts.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <stdexcept>

#include "models/var/gpd.h"
#include "models/var/innovations.h"
#include "stats/expected_shortfall.h"
#include "stats/monte_carlo.h"

namespace riskstep {

namespace {

const std::vector<double>& series(const VarForecast& forecast, const std::string& name) {
  const auto it = forecast.series.find(name);
  if (it == forecast.series.end())
    throw std::logic_error("tail forecast: the forecast has no series '" + name + "'");
  return it->second;
}

// R = location + scale Z, Z a unit-variance innovation (CMM, GARCH, EWMA).
TailForecast location_scale(const std::vector<double>& location, const std::vector<double>& scale,
                            GarchDistribution distribution, const std::vector<double>& shape,
                            const std::vector<double>& skew, double level) {
  TailForecast tail;
  for (size_t day = 0; day < scale.size(); ++day) {
    const double mean = location.empty() ? 0.0 : location[day];
    const double form = shape.empty() ? 0.0 : shape[day];
    const double xi = skew.empty() ? 1.0 : skew[day];
    tail.es.push_back(location_scale_es(mean, scale[day], distribution, form, level, xi));
    tail.samplers.push_back(location_scale_loss_sampler(mean, scale[day], distribution, form, xi));
  }
  tail.scale = scale;
  return tail;
}

// R = sigma_t z, z drawn from the day's standardised returns (filtered HS).
TailForecast scaled_empirical(const VarForecast& forecast, double level) {
  const std::vector<double>& sigma = series(forecast, "sigma");
  TailForecast tail;
  for (size_t day = 0; day < sigma.size(); ++day) {
    const std::vector<double>& z = forecast.residuals.at(day);
    tail.es.push_back(sigma[day] * historical_es(z, level));
    std::vector<double> scaled(z.size());
    for (size_t i = 0; i < z.size(); ++i) scaled[i] = sigma[day] * z[i];
    tail.samplers.push_back(empirical_loss_sampler(std::move(scaled)));
  }
  tail.scale = sigma;
  return tail;
}

// R = sigma_t z: a loss -z beyond u is u plus a GPD excess (probability k/n), else one of the
// window's other standardised losses (GARCH-EVT).
TailForecast gpd_tail(const VarForecast& forecast, double level) {
  const std::vector<double>& sigma = series(forecast, "sigma");
  TailForecast tail;
  for (size_t day = 0; day < sigma.size(); ++day) {
    GpdFit gpd;
    gpd.xi = series(forecast, "gpd_shape")[day];
    gpd.beta = series(forecast, "gpd_scale")[day];
    const double u = series(forecast, "threshold")[day];
    const std::vector<double>& z = forecast.residuals.at(day);
    const size_t n = z.size(), k = static_cast<size_t>(series(forecast, "tail_count")[day]);
    tail.es.push_back(sigma[day] * gpd_tail_es(u, gpd, n, k, level));
    std::vector<double> body;  // the n - k smallest losses, u among them
    for (double value : z) body.push_back(-value);
    std::sort(body.begin(), body.end());
    body.resize(n - k);
    const double scale = sigma[day], tail_share = double(k) / double(n);
    tail.samplers.push_back([=](std::mt19937_64& rng) {
      if (uniform01(rng) < tail_share) return scale * (u + sample_gpd(gpd, rng));
      return scale * body[static_cast<size_t>(uniform01(rng) * double(body.size()))];
    });
  }
  tail.scale = sigma;
  return tail;
}

// R drawn from all returns since the first training date (the unconditional quantile).
TailForecast expanding_empirical(const std::vector<double>& returns, size_t first, size_t last,
                                 size_t start, double level) {
  const auto shared =
      std::make_shared<const std::vector<double>>(returns.begin() + start, returns.begin() + last);
  TailForecast tail;
  for (size_t t = first; t < last; ++t) {
    const size_t count = t - start;
    tail.es.push_back(
        historical_es(std::vector<double>(shared->begin(), shared->begin() + count), level));
    tail.samplers.push_back([shared, count](std::mt19937_64& rng) {
      return -(*shared)[static_cast<size_t>(uniform01(rng) * double(count))];
    });
  }
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
                          GarchDistribution::normal, {}, {}, level);
  if (model == "ewma")
    return location_scale({}, series(forecast, "sigma"), GarchDistribution::normal, {}, {}, level);
  if (model == "garch")
    return location_scale({}, series(forecast, "sigma"),
                          parse_garch_distribution(forecast.info.at("distribution")),
                          series(forecast, "shape"), series(forecast, "skew"), level);
  if (model == "fhs") return scaled_empirical(forecast, level);
  if (model == "garch_evt") return gpd_tail(forecast, level);
  if (model == "uncond")
    return expanding_empirical(returns, first, last, std::stoul(forecast.info.at("start")), level);
  TailForecast tail;
  tail.es = mixture_es_series(mixture.mu, mixture.sigma, mixture.pi, mixture.components, level);
  tail.samplers = mixture_loss_samplers(mixture.mu, mixture.sigma, mixture.pi, mixture.components);
  return tail;
}

}  // namespace riskstep
