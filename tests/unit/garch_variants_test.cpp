// GJR (fGarch's APARCH(1,1) with delta 2) and skewed-t GARCH against R fGarch's fits on S&P 500
// windows (tests/data/fgarch_reference.csv, made by tests/data/fgarch_reference.R): our
// log-likelihood at fGarch's parameters equals fGarch's to 1e-8 relative, and our optimum is no
// worse than fGarch's by more than 1e-6 relative. Plus the GJR gradient against finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "data/market/price_csv.h"
#include "models/var/garch.h"
#include "models/var/returns.h"
#include "test_data.h"

namespace riskstep {
namespace {

struct Reference {
  std::string before, kind, dist;
  GarchParameters parameters;
  double loglik;
};

std::vector<Reference> references() {
  std::ifstream in(std::string(RISKSTEP_SOURCE_DIR) + "/tests/data/fgarch_reference.csv");
  std::string line;
  std::getline(in, line);
  std::vector<Reference> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) {
      if (!field.empty() && field.front() == '"') field = field.substr(1, field.size() - 2);
      f.push_back(field);
    }
    Reference r{f[0], f[1], f[2], {}, std::stod(f[9])};
    r.parameters.omega = std::stod(f[3]);
    r.parameters.alpha = std::stod(f[4]);
    r.parameters.gamma = std::stod(f[5]);
    r.parameters.beta = std::stod(f[6]);
    r.parameters.shape = std::stod(f[7]);
    r.parameters.skew = std::stod(f[8]);
    rows.push_back(r);
  }
  return rows;
}

// The 251 returns before `date` (Close; simple returns), as the R script takes them.
std::vector<double> window_before(const ReturnSeries& series, const std::string& date) {
  size_t last = 0;
  while (last < series.dates.size() && series.dates[last] < date) ++last;
  return std::vector<double>(series.returns.begin() + (last - 251), series.returns.begin() + last);
}

TEST(GarchVariants, LikelihoodAndOptimumAgainstFgarch) {
  RISKSTEP_REQUIRE_SHARED_DATA(data);
  const PriceSeries prices = read_price_csv(data + "/indices/sp500.csv");
  const ReturnSeries series = simple_returns(prices.dates, prices.prices);
  const auto rows = references();
  ASSERT_EQ(rows.size(), 12u);
  for (const Reference& r : rows) {
    const std::vector<double> window = window_before(series, r.before);
    const GarchKind kind = parse_garch_kind(r.kind);
    const GarchDistribution dist = parse_garch_distribution(r.dist);
    const std::string label = r.before + " " + r.kind + " " + r.dist;
    const double ours =
        garch_loglik(window, dist, r.parameters, nullptr, InitialVariance::fgarch, kind);
    EXPECT_NEAR(ours, r.loglik, 1e-8 * std::fabs(r.loglik)) << label;
    GarchFitOptions options;
    options.kind = kind;
    options.initial_variance = InitialVariance::fgarch;
    const GarchFit fit = fit_garch(window, dist, std::nullopt, options);
    EXPECT_GE(fit.loglik, r.loglik - 1e-6 * std::fabs(r.loglik)) << label;
  }
}

TEST(GarchVariants, GjrGradientMatchesFiniteDifferences) {
  GarchParameters truth;
  truth.omega = 2e-6;
  truth.alpha = 0.05;
  truth.beta = 0.9;
  const std::vector<double> e = simulate_garch(truth, GarchDistribution::normal, 400, 3);
  GarchParameters at = truth;
  at.gamma = 0.4;
  at.shape = 1.6;
  for (const GarchDistribution dist : {GarchDistribution::normal, GarchDistribution::ged}) {
    std::vector<double> gradient;
    garch_loglik(e, dist, at, &gradient, InitialVariance::fgarch, GarchKind::gjr);
    ASSERT_EQ(gradient.size(), dist == GarchDistribution::ged ? 5u : 4u);
    double GarchParameters::*fields[] = {&GarchParameters::omega, &GarchParameters::alpha,
                                         &GarchParameters::beta, &GarchParameters::gamma,
                                         &GarchParameters::shape};
    for (size_t i = 0; i < gradient.size(); ++i) {
      const double h = 1e-6 * std::max(1e-6, std::fabs(at.*fields[i]));
      GarchParameters up = at, down = at;
      up.*fields[i] += h;
      down.*fields[i] -= h;
      const double numeric =
          (garch_loglik(e, dist, up, nullptr, InitialVariance::fgarch, GarchKind::gjr) -
           garch_loglik(e, dist, down, nullptr, InitialVariance::fgarch, GarchKind::gjr)) /
          (2 * h);
      EXPECT_NEAR(gradient[i], numeric, 1e-5 * std::max(1.0, std::fabs(numeric))) << i;
    }
  }
}

TEST(GarchVariants, GjrWithoutAsymmetryIsGarchAndItsVariancePathEndsInTheForecast) {
  GarchParameters p;
  p.omega = 3e-6;
  p.alpha = 0.08;
  p.beta = 0.9;
  const std::vector<double> e = simulate_garch(p, GarchDistribution::normal, 300, 11);
  EXPECT_EQ(garch_loglik(e, GarchDistribution::normal, p, nullptr, InitialVariance::mean_square,
                         GarchKind::gjr),
            garch_loglik(e, GarchDistribution::normal, p));
  // The path by hand: s2_1 = mean(e^2), s2_t = omega + alpha (|e| - gamma e)^2 + beta s2_{t-1}.
  p.gamma = 0.5;
  const std::vector<double> path =
      garch_variance_path(e, p, InitialVariance::mean_square, GarchKind::gjr);
  ASSERT_EQ(path.size(), e.size() + 1);
  double s2 = 0.0;
  for (double x : e) s2 += x * x / double(e.size());
  for (size_t t = 0; t <= e.size(); ++t) {
    if (t > 0) {
      const double a = std::fabs(e[t - 1]) - 0.5 * e[t - 1];
      s2 = p.omega + p.alpha * a * a + p.beta * s2;
    }
    EXPECT_NEAR(path[t], s2, 1e-15 * s2) << t;
  }
}

}  // namespace
}  // namespace riskstep
