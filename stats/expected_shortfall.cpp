#include "stats/expected_shortfall.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/var/forecast.h"
#include "models/var/historical_simulation.h"
#include "models/var/innovations.h"
#include "models/var/mixture_quantile.h"
#include "models/var/skew_t.h"

namespace riskstep {

namespace {

constexpr double kLog2 = 0.69314718055994530942;
constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

void require_level(double p) {
  if (!(p > 0.0 && p < 1.0))
    throw std::invalid_argument("ES tail probability " + std::to_string(p) + " is not in (0, 1)");
}

// Symmetry gives E[Z; Z <= q] = -int_{|q|}^inf z f(z) dz for every q, so each closed form below
// holds for all p in (0, 1), not only in the lower tail.
double normal_es(double p) {
  const double q = boost::math::quantile(boost::math::normal(), p);
  return kInvSqrt2Pi * std::exp(-0.5 * q * q) / p;
}

// Standard t_nu: int_{-inf}^q t f(t) dt = -f(q) (nu + q^2) / (nu - 1); unit variance scales the
// loss by sqrt((nu - 2) / nu).
double student_t_es(double nu, double p) {
  const boost::math::students_t t(nu);
  const double q = boost::math::quantile(t, p);
  return boost::math::pdf(t, q) * (nu + q * q) / ((nu - 1.0) * p) * std::sqrt((nu - 2.0) / nu);
}

// Unit-variance GED f(z) = nu exp(-|z/lambda|^nu / 2) / (lambda 2^(1+1/nu) Gamma(1/nu)),
// lambda^2 = 2^(-2/nu) Gamma(1/nu) / Gamma(3/nu) (innovations.cpp). With u = |z/lambda|^nu / 2,
//   int_{|q|}^inf z f(z) dz = lambda 2^(1/nu) Gamma(2/nu, u0) / (2 Gamma(1/nu)),
// u0 = (|q|/lambda)^nu / 2 = gamma_q_inv(1/nu, 2 min(p, 1-p)) (the same root ged_quantile takes),
// so ES = lambda 2^(1/nu) Gamma(2/nu) Q(2/nu, u0) / (2 p Gamma(1/nu)), Q the regularised upper
// incomplete gamma. nu = 2 gives phi(z_p)/p, nu = 1 (Laplace, b = 1/sqrt2) gives VaR + b.
double ged_es(double nu, double p) {
  if (!(nu > 0.0)) throw std::invalid_argument("GED shape must be > 0, got " + std::to_string(nu));
  const double u0 = boost::math::gamma_q_inv(1.0 / nu, 2.0 * std::min(p, 1.0 - p));
  const double log_lambda = ged_log_lambda(nu);
  const double log_constant =
      log_lambda + kLog2 / nu - kLog2 + std::lgamma(2.0 / nu) - std::lgamma(1.0 / nu);
  return std::exp(log_constant) * boost::math::gamma_q(2.0 / nu, u0) / p;
}

}  // namespace

double historical_es(const std::vector<double>& window_returns, double p) {
  require_level(p);
  std::vector<double> sorted = window_returns;
  std::sort(sorted.begin(), sorted.end());
  const double var = -type7_quantile_sorted(sorted, p);
  double sum = 0.0;
  size_t count = 0;
  // Ascending returns put the largest losses first; the type-7 quantile is >= sorted[0], so at
  // least that loss counts.
  for (; count < sorted.size() && -sorted[count] >= var; ++count) sum += -sorted[count];
  return sum / static_cast<double>(count);
}

std::vector<double> historical_es_series(const std::vector<double>& returns, size_t first,
                                         size_t last, double p, size_t window) {
  check_forecast_range(returns.size(), first, last, window, {p});
  std::vector<double> es(last - first);
  for (size_t t = first; t < last; ++t)
    es[t - first] =
        historical_es(std::vector<double>(returns.begin() + (t - window), returns.begin() + t), p);
  return es;
}

double unit_innovation_es(GarchDistribution distribution, double shape, double p, double skew) {
  require_level(p);
  switch (distribution) {
    case GarchDistribution::normal:
      return normal_es(p);
    case GarchDistribution::student_t:
      if (!(shape > 2.0))
        throw std::invalid_argument("Student t degrees of freedom must be > 2, got " +
                                    std::to_string(shape));
      return student_t_es(shape, p);
    case GarchDistribution::ged:
      return ged_es(shape, p);
    case GarchDistribution::skew_t:
      return SkewT(shape, skew).expected_shortfall(p);
    case GarchDistribution::automatic:
      break;
  }
  throw std::invalid_argument("'automatic' is not a distribution; choose one first");
}

double location_scale_es(double location, double scale, GarchDistribution distribution,
                         double shape, double p, double skew) {
  if (!std::isfinite(location) || !(scale >= 0.0) || !std::isfinite(scale))
    throw std::invalid_argument("location-scale ES needs a finite location and scale >= 0");
  return -location + scale * unit_innovation_es(distribution, shape, p, skew);
}

double mixture_es(const double* mu, const double* sigma, const double* weights, size_t components,
                  double p) {
  const double q = mixture_quantile(mu, sigma, weights, components, p);  // validates the inputs
  double total = 0.0, tail_sum = 0.0, below = 0.0;  // sum w, sum w E[R_k; R_k < q], P(R < q)
  for (size_t k = 0; k < components; ++k) {
    const double w = weights[k];
    if (w == 0.0) continue;
    total += w;
    if (sigma[k] == 0.0) {
      if (mu[k] < q) {
        tail_sum += w * mu[k];
        below += w;
      }
      continue;
    }
    const double a = (q - mu[k]) / sigma[k];
    // erfc keeps relative precision of Phi(a) deep in the lower tail.
    const double cdf = 0.5 * boost::math::erfc(-a * kInvSqrt2);
    const double pdf = kInvSqrt2Pi * std::exp(-0.5 * a * a);
    tail_sum += w * (mu[k] * cdf - sigma[k] * pdf);
    below += w * cdf;
  }
  return -(tail_sum / total + q * (p - below / total)) / p;
}

std::vector<double> mixture_es_series(const std::vector<double>& mu,
                                      const std::vector<double>& sigma,
                                      const std::vector<double>& weights, size_t components,
                                      double p) {
  if (components == 0 || mu.size() % components != 0 || sigma.size() != mu.size() ||
      weights.size() != mu.size())
    throw std::invalid_argument("mixture_es_series: mu, sigma and weights must all hold days x " +
                                std::to_string(components) + " values");
  std::vector<double> es(mu.size() / components);
  for (size_t day = 0; day < es.size(); ++day) {
    const size_t offset = day * components;
    es[day] = mixture_es(mu.data() + offset, sigma.data() + offset, weights.data() + offset,
                         components, p);
  }
  return es;
}

}  // namespace riskstep
