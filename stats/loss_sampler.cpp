#include "stats/loss_sampler.h"

#include "models/var/mixture_quantile.h"
#include "models/var/skew_t.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/var/forecast.h"
#include "stats/monte_carlo.h"

namespace riskstep {

LossSampler empirical_loss_sampler(std::vector<double> window_returns) {
  if (window_returns.empty()) throw std::invalid_argument("empirical sampler of an empty window");
  return [returns = std::move(window_returns)](std::mt19937_64& rng) {
    const double n = static_cast<double>(returns.size());
    return -returns[static_cast<size_t>(uniform01(rng) * n)];
  };
}

LossSampler location_scale_loss_sampler(double location, double scale,
                                        GarchDistribution distribution, double shape, double skew) {
  if (!std::isfinite(location) || !std::isfinite(scale) || !(scale >= 0.0))
    throw std::invalid_argument("location-scale sampler needs a finite location and scale >= 0");
  innovation_quantile(distribution, shape, 0.5, skew);  // rejects a bad distribution or shape now
  if (distribution == GarchDistribution::skew_t) {      // its constants once, not once per draw
    const SkewT innovation(shape, skew);
    return [=](std::mt19937_64& rng) { return -(location + scale * innovation.sample(rng)); };
  }
  return [=](std::mt19937_64& rng) {
    return -(location + scale * sample_innovation(distribution, shape, rng));
  };
}

LossSampler mixture_loss_sampler(std::vector<double> mu, std::vector<double> sigma,
                                 std::vector<double> weights) {
  if (mu.empty() || sigma.size() != mu.size() || weights.size() != mu.size())
    throw std::invalid_argument("mixture sampler needs equally many mu, sigma and weights");
  const double total = checked_mixture_weight(mu.data(), sigma.data(), weights.data(), mu.size());
  std::vector<double> cumulative(weights.size());
  double running = 0.0;
  for (size_t k = 0; k < weights.size(); ++k) cumulative[k] = (running += weights[k]) / total;
  return [=](std::mt19937_64& rng) {
    const double u = uniform01(rng);
    size_t k = 0;
    // Rounding may leave cumulative.back() a hair below 1; the last component takes that slack.
    while (k + 1 < cumulative.size() && !(u < cumulative[k])) ++k;
    return -(mu[k] + sigma[k] * std::normal_distribution<double>()(rng));
  };
}

std::vector<LossSampler> historical_loss_samplers(const std::vector<double>& returns, size_t first,
                                                  size_t last, size_t window) {
  check_forecast_range(returns.size(), first, last, window, {});
  std::vector<LossSampler> samplers;
  samplers.reserve(last - first);
  for (size_t t = first; t < last; ++t)
    samplers.push_back(empirical_loss_sampler(
        std::vector<double>(returns.begin() + (t - window), returns.begin() + t)));
  return samplers;
}

std::vector<LossSampler> mixture_loss_samplers(const std::vector<double>& mu,
                                               const std::vector<double>& sigma,
                                               const std::vector<double>& weights,
                                               size_t components) {
  if (components == 0 || mu.size() % components != 0 || sigma.size() != mu.size() ||
      weights.size() != mu.size())
    throw std::invalid_argument(
        "mixture_loss_samplers: mu, sigma and weights must all hold days x " +
        std::to_string(components) + " values");
  std::vector<LossSampler> samplers;
  samplers.reserve(mu.size() / components);
  for (size_t offset = 0; offset < mu.size(); offset += components) {
    auto slice = [&](const std::vector<double>& v) {
      return std::vector<double>(v.begin() + offset, v.begin() + offset + components);
    };
    samplers.push_back(mixture_loss_sampler(slice(mu), slice(sigma), slice(weights)));
  }
  return samplers;
}

}  // namespace riskstep
