#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>

#include "models/var/mixture_quantile.h"

namespace riskstep {
namespace {

double normal_quantile(double mu, double sigma, double p) {
  return boost::math::quantile(boost::math::normal(mu, sigma), p);
}

TEST(MixtureQuantile, OneComponentIsTheNormalQuantile) {
  const double mu = 0.001, sigma = 0.012;
  for (double p : {0.001, 0.01, 0.025, 0.05, 0.5, 0.9}) {
    EXPECT_NEAR(mixture_quantile(&mu, &sigma, std::vector<double>{1.0}.data(), 1, p),
                normal_quantile(mu, sigma, p), 1e-15)
        << p;
  }
}

TEST(MixtureQuantile, TwoComponentsMatchANumericalIntegralOfTheDensity) {
  const double mu[] = {-0.001, 0.002}, sigma[] = {0.03, 0.01}, weights[] = {0.2, 0.8};
  const double x = mixture_quantile(mu, sigma, weights, 2, 0.01);
  EXPECT_NEAR(x, -0.05034570501352946, 1e-14);  // scipy brentq on the mixture CDF
  // Simpson's rule on the mixture density from far in the tail up to x gives back p.
  const double lo = -0.6, n = 20000, h = (x - lo) / n;
  auto density = [&](double y) {
    double sum = 0.0;
    for (int k = 0; k < 2; ++k) {
      const double z = (y - mu[k]) / sigma[k];
      sum += weights[k] * std::exp(-0.5 * z * z) / (sigma[k] * std::sqrt(2.0 * M_PI));
    }
    return sum;
  };
  double integral = density(lo) + density(x);
  for (int i = 1; i < n; ++i) integral += (i % 2 ? 4.0 : 2.0) * density(lo + i * h);
  EXPECT_NEAR(integral * h / 3.0, 0.01, 1e-10);
}

TEST(MixtureQuantile, NormalisesWeightsAndIgnoresZeroWeightComponents) {
  const double mu[] = {-0.001, 0.002, -5.0}, sigma[] = {0.03, 0.01, 1.0};
  const double scaled[] = {0.4, 1.6, 0.0};  // = {0.2, 0.8} after normalising
  EXPECT_NEAR(mixture_quantile(mu, sigma, scaled, 3, 0.01), -0.05034570501352946, 1e-14);
}

TEST(MixtureQuantile, HandlesTinyAndZeroSigmas) {
  const double mu[] = {0.0, 0.01}, tiny[] = {1e-300, 0.02}, weights[] = {0.5, 0.5};
  // Half the mass sits at 0: the 1% quantile is where the other half reaches 2%.
  EXPECT_NEAR(mixture_quantile(mu, tiny, weights, 2, 0.01), normal_quantile(0.01, 0.02, 0.02),
              1e-14);
  const double zero[] = {0.0, 0.02};
  EXPECT_NEAR(mixture_quantile(mu, zero, weights, 2, 0.01), normal_quantile(0.01, 0.02, 0.02),
              1e-14);
  // F jumps from 0.5 Phi(-0.5) = 0.15 to 0.65 at the point mass: p = 0.3 and 0.6 land on it.
  EXPECT_NEAR(mixture_quantile(mu, zero, weights, 2, 0.3), 0.0, 1e-15);
  EXPECT_NEAR(mixture_quantile(mu, zero, weights, 2, 0.6), 0.0, 1e-15);
  EXPECT_NEAR(mixture_quantile(mu, zero, weights, 2, 0.9), normal_quantile(0.01, 0.02, 0.8), 1e-14);
  const double both_zero[] = {0.0, 0.0};
  EXPECT_DOUBLE_EQ(mixture_quantile(mu, both_zero, weights, 2, 0.3), 0.0);
}

TEST(MixtureQuantile, RejectsInvalidInput) {
  const double mu[] = {0.0}, sigma[] = {1.0}, weight[] = {1.0}, zero[] = {0.0}, neg[] = {-1.0};
  EXPECT_THROW(mixture_quantile(mu, sigma, weight, 1, 0.0), std::invalid_argument);
  EXPECT_THROW(mixture_quantile(mu, sigma, weight, 1, 1.0), std::invalid_argument);
  EXPECT_THROW(mixture_quantile(mu, sigma, zero, 1, 0.5), std::invalid_argument);
  EXPECT_THROW(mixture_quantile(mu, neg, weight, 1, 0.5), std::invalid_argument);
  EXPECT_THROW(mixture_quantile(mu, sigma, neg, 1, 0.5), std::invalid_argument);
}

TEST(MixtureVar, ComputesMinusTheQuantilePerDay) {
  // Two days of K = 2, row-major [day][k].
  const std::vector<double> mu = {0.0, 0.0, -0.001, 0.002}, sigma = {0.01, 0.01, 0.03, 0.01};
  const std::vector<double> weights = {0.5, 0.5, 0.2, 0.8};
  const std::vector<double> var = mixture_var(mu, sigma, weights, 2, 0.01);
  ASSERT_EQ(var.size(), 2u);
  EXPECT_NEAR(var[0], -normal_quantile(0.0, 0.01, 0.01), 1e-15);
  EXPECT_NEAR(var[1], 0.05034570501352946, 1e-14);
  EXPECT_THROW(mixture_var(mu, sigma, weights, 3, 0.01), std::invalid_argument);
}

}  // namespace
}  // namespace riskstep
