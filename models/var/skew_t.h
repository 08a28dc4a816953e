#pragma once
// Fernandez and Steel's (1998) skewed Student t, standardised to mean 0 and variance 1 as R
// fGarch's [dpqr]sstd: Z = (Y - mu) / sigma, where Y has the density g f(y / xi^sign(y)) with f the
// unit-variance t of nu degrees of freedom, g = 2 / (xi + 1/xi), and
//   m1 = E|T| = 2 sqrt(nu - 2) / ((nu - 1) B(1/2, nu/2)),   mu = m1 (xi - 1/xi),
//   sigma^2 = (1 - m1^2)(xi^2 + 1/xi^2) + 2 m1^2 - 1.
// xi = 1 is the symmetric unit t; xi < 1 makes the left tail (losses) the longer one.
#include <random>

namespace riskstep {

class SkewT {
 public:
  SkewT(double nu, double xi);  // throws std::invalid_argument unless nu > 2 and xi > 0

  double log_density(double z) const;
  double d_log_density(double z) const;  // d/dz
  double cdf(double z) const;
  double quantile(double p) const;            // p in (0, 1)
  double expected_shortfall(double p) const;  // -E[Z | Z <= quantile(p)]
  double sample(std::mt19937_64& rng) const;

 private:
  double y_of(double z) const { return z * sigma_ + mu_; }
  double unit_t_log_density(double a) const;
  double unit_t_cdf(double a) const;
  double unit_t_quantile(double p) const;
  double unit_t_partial_mean(double a) const;  // E[T; T <= a]

  double nu_, xi_;
  double t_scale_;   // sqrt(nu / (nu - 2)): T = t_nu / t_scale_
  double log_norm_;  // the unit t's log normalising constant
  double g_, mu_, sigma_;
  double p_negative_;  // P(Y < 0) = 1 / (1 + xi^2)
};

}  // namespace riskstep
