#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "models/var/historical_simulation.h"
#include "models/var/innovations.h"
#include "models/var/mixture_quantile.h"
#include "stats/expected_shortfall.h"

namespace riskstep {
namespace {

// (1/p) int_0^p VaR_u du by tanh-sinh, which copes with the quantile's singularity at u = 0:
// the second definition of ES, computed only from the existing quantile functions.
template <class Quantile>
double es_by_quantile_integral(Quantile quantile, double p) {
  boost::math::quadrature::tanh_sinh<double> integrator;
  return -integrator.integrate(quantile, 0.0, p, 1e-13) / p;
}

TEST(HistoricalEs, MatchesHandComputedWindows) {
  // Sorted: -.05 -.04 -.03 -.02 -.01 0 .005 .01 .015 .02 .03 (11 returns, type-7 h = 10 p).
  const std::vector<double> window = {0.01, -0.03, 0.02,  -0.01, 0.005, -0.05,
                                      0.0,  0.015, -0.02, 0.03,  -0.04};
  // p = .15: h = 1.5, Q = -.035, VaR = .035; losses >= VaR: .05, .04 -> ES = .045.
  EXPECT_NEAR(historical_es(window, 0.15), 0.045, 1e-15);
  // p = .25: h = 2.5, VaR = .025; losses .05 .04 .03 -> ES = .04.
  EXPECT_NEAR(historical_es(window, 0.25), 0.04, 1e-15);
  // p = .01: h = .1, VaR = .049; only the largest loss -> ES = .05.
  EXPECT_NEAR(historical_es(window, 0.01), 0.05, 1e-15);
}

TEST(HistoricalEs, IncludesEveryLossTiedWithVar) {
  // Sorted -.06 -.02 -.02 -.02 .01 .03, p = .5: h = 2.5 between two -.02, VaR = .02;
  // losses .06 and three .02 -> ES = (.06 + 3 * .02) / 4 = .03.
  EXPECT_NEAR(historical_es({0.01, -0.02, -0.06, -0.02, 0.03, -0.02}, 0.5), 0.03, 1e-15);
  // All tied at VaR: ES = VaR = .02.
  EXPECT_NEAR(historical_es({-0.02, -0.02, -0.02, 0.01, 0.03}, 0.3), 0.02, 1e-15);
}

TEST(HistoricalEs, SeriesUsesTheHsWindowsAndEsIsAtLeastVar) {
  std::mt19937_64 rng(7);
  std::student_t_distribution<double> draw(4.0);
  std::vector<double> returns(400);
  for (double& r : returns) r = 0.01 * draw(rng);
  const size_t window = 251, first = 260, last = 400;
  const std::vector<double> es = historical_es_series(returns, first, last, 0.01, window);
  ASSERT_EQ(es.size(), last - first);
  for (size_t t = first; t < last; ++t) {
    std::vector<double> sorted(returns.begin() + (t - window), returns.begin() + t);
    EXPECT_EQ(es[t - first], historical_es(sorted, 0.01));
    std::sort(sorted.begin(), sorted.end());
    EXPECT_GE(es[t - first], -type7_quantile_sorted(sorted, 0.01));
  }
  EXPECT_THROW(historical_es_series(returns, 100, 120, 0.01, window), std::invalid_argument);
  EXPECT_THROW(historical_es({}, 0.01), std::invalid_argument);
  EXPECT_THROW(historical_es({0.01, 0.02}, 1.0), std::invalid_argument);
}

TEST(InnovationEs, MatchesIndependentReferenceValues) {
  // Normal: phi(z_.01) / .01 (mpmath, 30 digits).
  EXPECT_NEAR(unit_innovation_es(GarchDistribution::normal, 0.0, 0.01), 2.6652142203458048, 1e-13);
  // Laplace = GED nu = 1 with b = 1/sqrt2: ES = VaR + b = b (1 - ln 2p) = b (1 + ln 50).
  EXPECT_NEAR(unit_innovation_es(GarchDistribution::ged, 1.0, 0.01),
              std::sqrt(0.5) * (1.0 + std::log(50.0)), 1e-13);
  // mpmath quadrature of -z f(z) below the quantile found by root search on the integrated
  // density (unit-variance t: the standard t scaled by sqrt((nu - 2) / nu)).
  EXPECT_NEAR(unit_innovation_es(GarchDistribution::student_t, 5.0, 0.01), 3.4488367600480160,
              1e-12);
  EXPECT_NEAR(unit_innovation_es(GarchDistribution::student_t, 3.5, 0.025), 2.8780885587698007,
              1e-12);
  EXPECT_NEAR(unit_innovation_es(GarchDistribution::ged, 1.5, 0.01), 2.9556852415117841, 1e-12);
  EXPECT_NEAR(unit_innovation_es(GarchDistribution::ged, 4.0, 0.05), 1.8546012641108735, 1e-12);
  // GED nu = 2 is the normal.
  EXPECT_NEAR(unit_innovation_es(GarchDistribution::ged, 2.0, 0.05),
              unit_innovation_es(GarchDistribution::normal, 0.0, 0.05), 1e-13);
}

TEST(InnovationEs, EqualsTheIntegratedQuantile) {
  struct Case {
    GarchDistribution distribution;
    double shape;
  };
  for (const Case& c :
       {Case{GarchDistribution::normal, 0.0}, Case{GarchDistribution::student_t, 2.5},
        Case{GarchDistribution::student_t, 8.0}, Case{GarchDistribution::ged, 0.8},
        Case{GarchDistribution::ged, 1.3}, Case{GarchDistribution::ged, 6.0}}) {
    for (double p : {0.001, 0.01, 0.025, 0.05, 0.3, 0.7}) {
      const double reference = es_by_quantile_integral(
          [&](double u) { return innovation_quantile(c.distribution, c.shape, u); }, p);
      const double es = unit_innovation_es(c.distribution, c.shape, p);
      EXPECT_NEAR(es, reference, 1e-8 * std::abs(reference))
          << to_string(c.distribution) << " " << c.shape << " p=" << p;
      EXPECT_GT(es, -innovation_quantile(c.distribution, c.shape, p));
    }
  }
}

TEST(InnovationEs, LocationScaleAndErrors) {
  // CMM: -mean + sd phi(z_p) / p.
  EXPECT_NEAR(location_scale_es(0.001, 0.02, GarchDistribution::normal, 0.0, 0.01),
              -0.001 + 0.02 * 2.6652142203458048, 1e-15);
  EXPECT_NEAR(location_scale_es(0.0, 0.015, GarchDistribution::ged, 1.0, 0.01),
              0.015 * std::sqrt(0.5) * (1.0 + std::log(50.0)), 1e-15);
  EXPECT_THROW(unit_innovation_es(GarchDistribution::automatic, 2.0, 0.01), std::invalid_argument);
  EXPECT_THROW(unit_innovation_es(GarchDistribution::student_t, 2.0, 0.01), std::invalid_argument);
  EXPECT_THROW(unit_innovation_es(GarchDistribution::ged, 0.0, 0.01), std::invalid_argument);
  EXPECT_THROW(unit_innovation_es(GarchDistribution::normal, 0.0, 0.0), std::invalid_argument);
  EXPECT_THROW(location_scale_es(0.0, -1.0, GarchDistribution::normal, 0.0, 0.01),
               std::invalid_argument);
}

// -(1/p) int_{-inf}^q x f(x) dx by exp-sinh on y = q - x in [0, inf).
double mixture_es_by_density_integral(const std::vector<double>& mu,
                                      const std::vector<double>& sigma,
                                      const std::vector<double>& w, double p) {
  double total = 0.0;
  for (double weight : w) total += weight;
  const double q = mixture_quantile(mu.data(), sigma.data(), w.data(), mu.size(), p);
  auto integrand = [&](double y) {
    const double x = q - y;
    double density = 0.0;
    for (size_t k = 0; k < mu.size(); ++k) {
      const double z = (x - mu[k]) / sigma[k];
      density += w[k] / total * std::exp(-0.5 * z * z) / (sigma[k] * std::sqrt(2.0 * M_PI));
    }
    return x * density;
  };
  boost::math::quadrature::exp_sinh<double> integrator;
  return -integrator.integrate(integrand, 0.0, std::numeric_limits<double>::infinity(), 1e-13) / p;
}

TEST(MixtureEs, MatchesMpmathReference) {
  // 0.8 N(.0005, .008^2) + 0.2 N(-.002, .025^2), p = .01: mpmath quadrature to 30 digits.
  const std::vector<double> mu = {0.0005, -0.002}, sigma = {0.008, 0.025}, w = {0.8, 0.2};
  EXPECT_NEAR(mixture_es(mu.data(), sigma.data(), w.data(), 2, 0.01), 0.053567822930465011,
              1e-10 * 0.0536);
}

TEST(MixtureEs, MatchesNumericalIntegrationOfBothDefinitions) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> location(-0.01, 0.01), scale(0.003, 0.05), weight(0.05, 1);
  for (int trial = 0; trial < 20; ++trial) {
    const size_t k = 1 + trial % 3;
    std::vector<double> mu(k), sigma(k), w(k);
    for (size_t j = 0; j < k; ++j) {
      mu[j] = location(rng);
      sigma[j] = scale(rng);
      w[j] = weight(rng);
    }
    for (double p : {0.01, 0.05, 0.2}) {
      const double es = mixture_es(mu.data(), sigma.data(), w.data(), k, p);
      const double by_density = mixture_es_by_density_integral(mu, sigma, w, p);
      const double by_quantile = es_by_quantile_integral(
          [&](double u) { return mixture_quantile(mu.data(), sigma.data(), w.data(), k, u); }, p);
      EXPECT_NEAR(es, by_density, 1e-8 * std::abs(by_density)) << trial << " p=" << p;
      EXPECT_NEAR(es, by_quantile, 1e-8 * std::abs(by_quantile)) << trial << " p=" << p;
    }
  }
}

TEST(MixtureEs, OneComponentIsTheNormalAndPointMassesFollowTheQuantileIntegral) {
  const double mu = 0.001, sigma = 0.02, w = 3.0;
  EXPECT_NEAR(mixture_es(&mu, &sigma, &w, 1, 0.025),
              location_scale_es(mu, sigma, GarchDistribution::normal, 0.0, 0.025), 1e-15);
  // 0.5 at -0.1 plus 0.5 N(0, .01^2), p = .2: VaR_u = 0.1 for all u < .5 (the normal part below
  // -0.1 has mass Phi(-10) ~ 1e-23), so ES = 0.1.
  const std::vector<double> m = {-0.1, 0.0}, s = {0.0, 0.01}, weights = {0.5, 0.5};
  EXPECT_NEAR(mixture_es(m.data(), s.data(), weights.data(), 2, 0.2), 0.1, 1e-15);
}

TEST(MixtureEs, SeriesIsRowMajorPerDay) {
  const std::vector<double> mu = {0.0, 0.001, -0.002, 0.003};
  const std::vector<double> sigma = {0.01, 0.03, 0.012, 0.02};
  const std::vector<double> w = {0.7, 0.3, 0.5, 0.5};
  const std::vector<double> es = mixture_es_series(mu, sigma, w, 2, 0.01);
  ASSERT_EQ(es.size(), 2u);
  EXPECT_EQ(es[0], mixture_es(mu.data(), sigma.data(), w.data(), 2, 0.01));
  EXPECT_EQ(es[1], mixture_es(mu.data() + 2, sigma.data() + 2, w.data() + 2, 2, 0.01));
  // ES >= VaR day by day.
  const std::vector<double> var = mixture_var(mu, sigma, w, 2, 0.01);
  for (size_t d = 0; d < 2; ++d) EXPECT_GT(es[d], var[d]);
  EXPECT_THROW(mixture_es_series(mu, sigma, {0.7, 0.3}, 2, 0.01), std::invalid_argument);
  EXPECT_THROW(mixture_es_series(mu, sigma, w, 2, 1.5), std::invalid_argument);
}

}  // namespace
}  // namespace riskstep
