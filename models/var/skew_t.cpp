#include "models/var/skew_t.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

namespace riskstep {

namespace {
constexpr double kLogPi = 1.14472988584940017414;
}  // namespace

SkewT::SkewT(double nu, double xi) : nu_(nu), xi_(xi) {
  if (!(nu > 2.0) || !std::isfinite(nu))
    throw std::invalid_argument("skewed t degrees of freedom must be > 2, got " +
                                std::to_string(nu));
  if (!(xi > 0.0) || !std::isfinite(xi))
    throw std::invalid_argument("skewed t skew must be > 0, got " + std::to_string(xi));
  t_scale_ = std::sqrt(nu / (nu - 2.0));
  log_norm_ =
      std::lgamma(0.5 * (nu + 1.0)) - std::lgamma(0.5 * nu) - 0.5 * (kLogPi + std::log(nu - 2.0));
  const double log_beta = std::lgamma(0.5) + std::lgamma(0.5 * nu) - std::lgamma(0.5 * nu + 0.5);
  const double m1 = 2.0 * std::sqrt(nu - 2.0) / (nu - 1.0) * std::exp(-log_beta);
  g_ = 2.0 / (xi + 1.0 / xi);
  mu_ = m1 * (xi - 1.0 / xi);
  sigma_ = std::sqrt((1.0 - m1 * m1) * (xi * xi + 1.0 / (xi * xi)) + 2.0 * m1 * m1 - 1.0);
  p_negative_ = 1.0 / (1.0 + xi * xi);
}

double SkewT::unit_t_log_density(double a) const {
  return log_norm_ - 0.5 * (nu_ + 1.0) * std::log1p(a * a / (nu_ - 2.0));
}

double SkewT::unit_t_cdf(double a) const {
  return boost::math::cdf(boost::math::students_t(nu_), a * t_scale_);
}

double SkewT::unit_t_quantile(double p) const {
  return boost::math::quantile(boost::math::students_t(nu_), p) / t_scale_;
}

// With t_nu's int_{-inf}^c t f(t) dt = -f(c) (nu + c^2) / (nu - 1) and T = t / t_scale.
double SkewT::unit_t_partial_mean(double a) const {
  return -((nu_ - 2.0) + a * a) / (nu_ - 1.0) * std::exp(unit_t_log_density(a));
}

double SkewT::log_density(double z) const {
  const double y = y_of(z);
  const double a = y < 0.0 ? y * xi_ : y / xi_;
  return std::log(g_ * sigma_) + unit_t_log_density(a);
}

double SkewT::d_log_density(double z) const {
  const double y = y_of(z);
  const double stretch = y < 0.0 ? xi_ : 1.0 / xi_;  // da/dy
  const double a = y * stretch;
  return -(nu_ + 1.0) * a / ((nu_ - 2.0) + a * a) * stretch * sigma_;
}

double SkewT::cdf(double z) const {
  const double y = y_of(z);
  if (y < 0.0) return g_ / xi_ * unit_t_cdf(y * xi_);
  return p_negative_ + g_ * xi_ * (unit_t_cdf(y / xi_) - 0.5);
}

double SkewT::quantile(double p) const {
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("quantile level must be in (0, 1)");
  const double y = p < p_negative_ ? unit_t_quantile(p * xi_ / g_) / xi_
                                   : xi_ * unit_t_quantile(0.5 + (p - p_negative_) / (g_ * xi_));
  return (y - mu_) / sigma_;
}

// E[Y; Y <= y] from the two halves of Y's density, then Z = (Y - mu) / sigma.
double SkewT::expected_shortfall(double p) const {
  const double y = y_of(quantile(p));
  const double negative_half = g_ / (xi_ * xi_) * unit_t_partial_mean(std::min(y, 0.0) * xi_);
  const double positive_part =
      y > 0.0 ? g_ * xi_ * xi_ * (unit_t_partial_mean(y / xi_) - unit_t_partial_mean(0.0)) : 0.0;
  const double tail_mean_y = (negative_half + positive_part) / p;
  return -(tail_mean_y - mu_) / sigma_;
}

double SkewT::sample(std::mt19937_64& rng) const {
  const double magnitude = std::fabs(std::student_t_distribution<double>(nu_)(rng)) / t_scale_;
  const bool negative = std::uniform_real_distribution<double>(0.0, 1.0)(rng) < p_negative_;
  const double y = negative ? -magnitude / xi_ : magnitude * xi_;
  return (y - mu_) / sigma_;
}

}  // namespace riskstep
