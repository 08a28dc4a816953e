#include "models/var/innovations.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace riskstep {

namespace {
constexpr double kLog2 = 0.69314718055994530942;
constexpr double kLogPi = 1.14472988584940017414;

void require_shape(GarchDistribution distribution, double shape) {
  if (distribution == GarchDistribution::ged && !(shape > 0.0))
    throw std::invalid_argument("GED shape must be > 0, got " + std::to_string(shape));
  if ((distribution == GarchDistribution::student_t || distribution == GarchDistribution::skew_t) &&
      !(shape > 2.0))
    throw std::invalid_argument("Student t degrees of freedom must be > 2, got " +
                                std::to_string(shape));
  if (distribution == GarchDistribution::automatic)
    throw std::invalid_argument("'automatic' is not a distribution; choose one first");
}
}  // namespace

double ged_log_lambda(double nu) {
  return -kLog2 / nu + 0.5 * (std::lgamma(1.0 / nu) - std::lgamma(3.0 / nu));
}

std::string to_string(GarchDistribution distribution) {
  switch (distribution) {
    case GarchDistribution::normal:
      return "normal";
    case GarchDistribution::student_t:
      return "student_t";
    case GarchDistribution::ged:
      return "ged";
    case GarchDistribution::skew_t:
      return "skew_t";
    case GarchDistribution::automatic:
      return "automatic";
  }
  return "unknown";
}

GarchDistribution parse_garch_distribution(const std::string& name) {
  if (name == "normal" || name == "norm") return GarchDistribution::normal;
  if (name == "student_t" || name == "t" || name == "std") return GarchDistribution::student_t;
  if (name == "ged") return GarchDistribution::ged;
  if (name == "skew_t" || name == "sstd") return GarchDistribution::skew_t;
  if (name == "automatic" || name == "auto") return GarchDistribution::automatic;
  throw std::invalid_argument("GARCH distribution '" + name +
                              "': expected normal, student_t, ged, skew_t or automatic");
}

double ged_quantile(double nu, double p) {
  require_shape(GarchDistribution::ged, nu);
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("quantile level must be in (0, 1)");
  if (p == 0.5) return 0.0;
  // P(Z <= -z0) = Q(1/nu, (z0/lambda)^nu / 2) / 2 with Q the upper regularised gamma.
  const double tail = p < 0.5 ? p : 1.0 - p;
  const double g = boost::math::gamma_q_inv(1.0 / nu, 2.0 * tail);
  const double z0 = std::exp(ged_log_lambda(nu)) * std::pow(2.0 * g, 1.0 / nu);
  return p < 0.5 ? -z0 : z0;
}

double innovation_quantile(GarchDistribution distribution, double shape, double p, double skew) {
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("quantile level must be in (0, 1)");
  switch (distribution) {
    case GarchDistribution::normal:
      return boost::math::quantile(boost::math::normal(), p);
    case GarchDistribution::student_t:
      require_shape(distribution, shape);
      return boost::math::quantile(boost::math::students_t(shape), p) *
             std::sqrt((shape - 2.0) / shape);
    case GarchDistribution::ged:
      return ged_quantile(shape, p);
    case GarchDistribution::skew_t:
      return SkewT(shape, skew).quantile(p);
    case GarchDistribution::automatic:
      require_shape(distribution, shape);
  }
  return 0.0;
}

double sample_innovation(GarchDistribution distribution, double shape, std::mt19937_64& rng,
                         double skew) {
  require_shape(distribution, shape);
  switch (distribution) {
    case GarchDistribution::normal:
      return std::normal_distribution<double>()(rng);
    case GarchDistribution::student_t:
      return std::student_t_distribution<double>(shape)(rng) * std::sqrt((shape - 2.0) / shape);
    case GarchDistribution::ged: {
      // |Z/lambda|^nu / 2 ~ Gamma(1/nu, 1), sign symmetric.
      const double g = std::gamma_distribution<double>(1.0 / shape, 1.0)(rng);
      const double magnitude = std::exp(ged_log_lambda(shape)) * std::pow(2.0 * g, 1.0 / shape);
      return std::bernoulli_distribution(0.5)(rng) ? magnitude : -magnitude;
    }
    case GarchDistribution::skew_t:
      return SkewT(shape, skew).sample(rng);
    case GarchDistribution::automatic:
      break;
  }
  return 0.0;
}

InnovationLogDensity::InnovationLogDensity(GarchDistribution distribution, double shape,
                                           double skew)
    : distribution_(distribution), shape_(shape) {
  require_shape(distribution, shape);
  using boost::math::digamma;
  switch (distribution) {
    case GarchDistribution::normal:
      constant_ = -0.5 * (kLog2 + kLogPi);
      break;
    case GarchDistribution::student_t: {
      const double d = shape;
      constant_ =
          std::lgamma(0.5 * (d + 1.0)) - std::lgamma(0.5 * d) - 0.5 * (kLogPi + std::log(d - 2.0));
      d_constant_ = 0.5 * digamma(0.5 * (d + 1.0)) - 0.5 * digamma(0.5 * d) - 0.5 / (d - 2.0);
      break;
    }
    case GarchDistribution::ged: {
      const double nu = shape;
      const double log_lambda = ged_log_lambda(nu);
      log_lambda2_ = 2.0 * log_lambda;
      d_log_lambda_ = (kLog2 - 0.5 * digamma(1.0 / nu) + 1.5 * digamma(3.0 / nu)) / (nu * nu);
      constant_ = std::log(nu) - log_lambda - (1.0 + 1.0 / nu) * kLog2 - std::lgamma(1.0 / nu);
      d_constant_ = 1.0 / nu - d_log_lambda_ + kLog2 / (nu * nu) + digamma(1.0 / nu) / (nu * nu);
      break;
    }
    case GarchDistribution::skew_t:
      skew_t_.emplace(shape, skew);
      break;
    case GarchDistribution::automatic:
      break;
  }
}

InnovationLogDensity::Term InnovationLogDensity::operator()(double e, double s2) const {
  const double e2 = e * e;
  const double log_s2 = std::log(s2);
  switch (distribution_) {
    case GarchDistribution::normal:
      return {constant_ - 0.5 * log_s2 - 0.5 * e2 / s2, (0.5 * e2 / s2 - 0.5) / s2, 0.0};
    case GarchDistribution::student_t: {
      const double d = shape_;
      const double u = e2 / (s2 * (d - 2.0));
      const double log1pu = std::log1p(u);
      const double ratio = u / (1.0 + u);
      return {constant_ - 0.5 * log_s2 - 0.5 * (d + 1.0) * log1pu,
              (-0.5 + 0.5 * (d + 1.0) * ratio) / s2,
              d_constant_ - 0.5 * log1pu + 0.5 * (d + 1.0) * ratio / (d - 2.0)};
    }
    case GarchDistribution::ged: {
      const double nu = shape_;
      if (e2 == 0.0) return {constant_ - 0.5 * log_s2, -0.5 / s2, d_constant_};
      const double log_a = std::log(e2) - log_s2 - log_lambda2_;  // a = (z / lambda)^2
      const double term = std::exp(0.5 * nu * log_a);             // |z / lambda|^nu
      return {constant_ - 0.5 * log_s2 - 0.5 * term, (0.25 * nu * term - 0.5) / s2,
              d_constant_ - 0.5 * term * (0.5 * log_a - nu * d_log_lambda_)};
    }
    case GarchDistribution::skew_t: {
      // z = e / sqrt(s2): d z / d s2 = -z / (2 s2).
      const double z = e / std::sqrt(s2);
      return {skew_t_->log_density(z) - 0.5 * log_s2,
              -skew_t_->d_log_density(z) * z / (2.0 * s2) - 0.5 / s2,
              std::numeric_limits<double>::quiet_NaN()};
    }
    case GarchDistribution::automatic:
      break;
  }
  return {0.0, 0.0, 0.0};
}

}  // namespace riskstep
