// The unit-variance skewed t (models/var/skew_t.h) against R fGarch's dsstd and qsstd (values
// committed by tests/data/fgarch_reference.R), and its ES against the integrated quantile.
#include "models/var/skew_t.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/var/innovations.h"
#include "stats/expected_shortfall.h"

namespace riskstep {
namespace {

std::vector<std::vector<double>> read_numbers(const std::string& name) {
  std::ifstream in(std::string(RISKSTEP_SOURCE_DIR) + "/tests/data/" + name);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string field;
    rows.emplace_back();
    while (std::getline(fields, field, ',')) rows.back().push_back(std::stod(field));
  }
  return rows;
}

TEST(SkewT, DensityEqualsFgarchDsstd) {
  const auto rows = read_numbers("fgarch_reference_dsstd.csv");  // x, nu, xi, density
  ASSERT_EQ(rows.size(), 54u);
  for (const auto& r : rows)
    EXPECT_NEAR(std::exp(SkewT(r[1], r[2]).log_density(r[0])) / r[3], 1.0, 1e-12)
        << "x " << r[0] << " nu " << r[1] << " xi " << r[2];
}

TEST(SkewT, QuantileEqualsFgarchQsstdAndInvertsTheCdf) {
  const auto rows = read_numbers("fgarch_reference_qsstd.csv");  // p, nu, xi, quantile
  ASSERT_EQ(rows.size(), 54u);
  for (const auto& r : rows) {
    const SkewT skew_t(r[1], r[2]);
    EXPECT_NEAR(skew_t.quantile(r[0]), r[3], 1e-9 * std::max(1.0, std::fabs(r[3])))
        << "p " << r[0] << " nu " << r[1] << " xi " << r[2];
    EXPECT_NEAR(skew_t.cdf(skew_t.quantile(r[0])), r[0], 1e-12);
  }
}

TEST(SkewT, SymmetricCaseIsTheUnitVarianceStudentT) {
  for (double p : {0.01, 0.05, 0.3})
    EXPECT_NEAR(innovation_quantile(GarchDistribution::skew_t, 5.0, p, 1.0),
                innovation_quantile(GarchDistribution::student_t, 5.0, p), 1e-12);
  EXPECT_NEAR(unit_innovation_es(GarchDistribution::skew_t, 5.0, 0.01, 1.0),
              unit_innovation_es(GarchDistribution::student_t, 5.0, 0.01), 1e-12);
}

// ES_p = (1/p) int_0^p VaR_u du, by the midpoint rule on a log grid in u (the integrand grows
// without bound as u -> 0), both below and above P(Y < 0) = 1/(1 + xi^2).
TEST(SkewT, ExpectedShortfallIsTheIntegratedQuantile) {
  for (const auto& [nu, xi] : std::vector<std::pair<double, double>>{{5, 0.7}, {4, 1.5}, {30, 3}}) {
    const SkewT skew_t(nu, xi);
    for (double p : {0.01, 0.05, 0.2}) {
      const int steps = 20000;
      const double low = std::log(1e-14), high = std::log(p);
      double integral = 0.0;
      for (int i = 0; i < steps; ++i) {
        const double log_u = low + (high - low) * (i + 0.5) / steps;
        integral += -skew_t.quantile(std::exp(log_u)) * std::exp(log_u) * (high - low) / steps;
      }
      EXPECT_NEAR(skew_t.expected_shortfall(p), integral / p, 2e-5 * integral / p)
          << "nu " << nu << " xi " << xi << " p " << p;
    }
  }
}

TEST(SkewT, SamplesHaveMeanZeroAndUnitVarianceAndTheLeftTail) {
  const SkewT skew_t(8.0, 0.7);
  std::mt19937_64 rng(5);
  const int n = 400000;
  double sum = 0.0, squares = 0.0;
  int below = 0;
  const double q = skew_t.quantile(0.05);
  for (int i = 0; i < n; ++i) {
    const double z = skew_t.sample(rng);
    sum += z;
    squares += z * z;
    below += z <= q;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(squares / n, 1.0, 0.02);
  EXPECT_NEAR(double(below) / n, 0.05, 0.002);
}

TEST(SkewT, RefusesBadParameters) {
  EXPECT_THROW(SkewT(2.0, 1.0), std::invalid_argument);
  EXPECT_THROW(SkewT(5.0, 0.0), std::invalid_argument);
  EXPECT_EQ(parse_garch_distribution("sstd"), GarchDistribution::skew_t);
}

}  // namespace
}  // namespace riskstep
