#include "models/var/mixture_quantile.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace riskstep {

namespace {

double component_cdf(double x, double mu, double sigma) {
  if (sigma == 0.0) return x >= mu ? 1.0 : 0.0;
  // erfc keeps full relative precision deep in the lower tail, where VaR lives.
  return 0.5 * boost::math::erfc(-(x - mu) / (sigma * 1.41421356237309504880));
}

}  // namespace

double checked_mixture_weight(const double* mu, const double* sigma, const double* weights,
                              size_t components) {
  double total = 0.0;
  for (size_t k = 0; k < components; ++k) {
    if (!std::isfinite(mu[k]) || !std::isfinite(sigma[k]) || !(sigma[k] >= 0.0) ||
        !std::isfinite(weights[k]) || !(weights[k] >= 0.0))
      throw std::invalid_argument("mixture component " + std::to_string(k) +
                                  ": need finite mu, sigma >= 0 and weight >= 0");
    total += weights[k];
  }
  if (!(total > 0.0)) throw std::invalid_argument("mixture weights sum to zero");
  return total;
}

double mixture_quantile(const double* mu, const double* sigma, const double* weights,
                        size_t components, double p) {
  if (!(p > 0.0 && p < 1.0))
    throw std::invalid_argument("mixture quantile level " + std::to_string(p) + " not in (0, 1)");
  const double total = checked_mixture_weight(mu, sigma, weights, components);

  // F is a convex combination of the component CDFs, so F(min_k q_k) <= p <= F(max_k q_k).
  const double z = boost::math::quantile(boost::math::normal(), p);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (size_t k = 0; k < components; ++k) {
    if (weights[k] == 0.0) continue;
    lo = std::min(lo, mu[k] + z * sigma[k]);
    hi = std::max(hi, mu[k] + z * sigma[k]);
  }
  auto excess = [&](double x) {
    double cdf = 0.0;
    for (size_t k = 0; k < components; ++k)
      if (weights[k] > 0.0) cdf += weights[k] * component_cdf(x, mu[k], sigma[k]);
    return cdf / total - p;
  };
  if (lo == hi) return lo;
  const double f_lo = excess(lo), f_hi = excess(hi);
  if (f_lo >= 0.0) return lo;
  if (f_hi <= 0.0) return hi;
  std::uintmax_t iterations = 200;
  const auto bracket = boost::math::tools::toms748_solve(
      excess, lo, hi, f_lo, f_hi, boost::math::tools::eps_tolerance<double>(), iterations);
  return 0.5 * (bracket.first + bracket.second);
}

std::vector<double> mixture_var(const std::vector<double>& mu, const std::vector<double>& sigma,
                                const std::vector<double>& weights, size_t components,
                                double level) {
  if (components == 0 || mu.size() % components != 0 || sigma.size() != mu.size() ||
      weights.size() != mu.size())
    throw std::invalid_argument("mixture_var: mu, sigma and weights must all hold days x " +
                                std::to_string(components) + " values");
  const size_t days = mu.size() / components;
  std::vector<double> var(days);
  for (size_t day = 0; day < days; ++day) {
    const size_t offset = day * components;
    var[day] = -mixture_quantile(mu.data() + offset, sigma.data() + offset, weights.data() + offset,
                                 components, level);
  }
  return var;
}

}  // namespace riskstep
