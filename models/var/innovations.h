#pragma once
// Unit-variance innovation distributions of the GARCH model: normal, standardised Student t
// (shape = degrees of freedom > 2), GED (shape = nu; nu = 2 is the normal, nu = 1 the Laplace) and
// Fernandez-Steel's skewed t as R fGarch's "sstd" (shape = degrees of freedom > 2, skew = xi > 0;
// models/var/skew_t.h). `skew` is read by skew_t only.
#include <optional>
#include <random>
#include <string>

#include "models/var/skew_t.h"

namespace riskstep {

enum class GarchDistribution { normal, student_t, ged, skew_t, automatic };

std::string to_string(GarchDistribution distribution);
// "normal"/"norm", "student_t"/"t"/"std", "ged", "skew_t"/"sstd", "automatic"/"auto"; throws
// std::invalid_argument.
GarchDistribution parse_garch_distribution(const std::string& name);

// p-quantile of the unit-variance distribution (shape ignored for normal).
double innovation_quantile(GarchDistribution distribution, double shape, double p,
                           double skew = 1.0);
double ged_quantile(double nu, double p);

// The unit-variance GED f(z) = nu exp(-|z/lambda|^nu / 2) / (lambda 2^(1+1/nu) Gamma(1/nu)) has
// lambda^2 = 2^(-2/nu) Gamma(1/nu) / Gamma(3/nu); this is log(lambda).
double ged_log_lambda(double nu);

// One draw of the unit-variance distribution.
double sample_innovation(GarchDistribution distribution, double shape, std::mt19937_64& rng,
                         double skew = 1.0);

// Log-likelihood of one observation e ~ sqrt(s2) * Z and its derivatives, for a fixed shape.
// Constants depending on the shape only are computed once in the constructor.
class InnovationLogDensity {
 public:
  InnovationLogDensity(GarchDistribution distribution, double shape, double skew = 1.0);
  struct Term {
    double value;    // log f(e / sqrt(s2)) - log(s2) / 2
    double d_s2;     // d value / d s2
    double d_shape;  // d value / d shape (0 for normal; NaN for skew_t, fitted without it)
  };
  // e as a signed value: the skewed t is not symmetric.
  Term operator()(double e, double s2) const;

 private:
  GarchDistribution distribution_;
  double shape_;
  std::optional<SkewT> skew_t_;
  double constant_ = 0.0, d_constant_ = 0.0;       // shape-only part of the log density
  double log_lambda2_ = 0.0, d_log_lambda_ = 0.0;  // GED scale
};

}  // namespace riskstep
