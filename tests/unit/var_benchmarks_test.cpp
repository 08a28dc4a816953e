// The classical benchmarks beyond the thesis: EWMA, filtered HS, the GPD and GARCH-EVT, the
// unconditional quantile. Each against values computed another way, as each test says.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "models/var/ewma.h"
#include "models/var/filtered_hs.h"
#include "models/var/garch_evt.h"
#include "models/var/gpd.h"
#include "models/var/unconditional.h"
#include "models/var/volatility_filter.h"
#include "stats/expected_shortfall.h"
#include "stats/volatility_response.h"

namespace riskstep {
namespace {

std::vector<double> simulated_returns(size_t n, uint64_t seed) {
  GarchParameters p;
  p.omega = 2e-6;
  p.alpha = 0.08;
  p.beta = 0.9;
  p.shape = 6.0;
  return simulate_garch(p, GarchDistribution::student_t, n, seed);
}

// Numpy's "linear" (R type 7) percentile written out: position p (n - 1) of the sorted sample.
double linear_quantile(std::vector<double> sample, double p) {
  std::sort(sample.begin(), sample.end());
  const double position = p * double(sample.size() - 1);
  const size_t below = size_t(position);
  const double weight = position - double(below);
  return below + 1 < sample.size() ? (1 - weight) * sample[below] + weight * sample[below + 1]
                                   : sample[below];
}

// s2_t = lambda^t s2_0 + (1 - lambda) sum_{j<t} lambda^(t-1-j) r_j^2: the recursion unrolled.
TEST(Ewma, SigmaIsTheUnrolledRecursionAndVarIsNormal) {
  const std::vector<double> r = simulated_returns(200, 1);
  const double lambda = 0.94;
  double s2_0 = 0.0;
  for (int i = 0; i < 30; ++i) s2_0 += r[i] * r[i] / 30.0;
  const VarForecast forecast = forecast_ewma(r, 150, 200, {0.01, 0.05}, lambda);
  for (size_t t = 150; t < 200; ++t) {
    double s2 = std::pow(lambda, double(t)) * s2_0;
    for (size_t j = 0; j < t; ++j)
      s2 += (1 - lambda) * std::pow(lambda, double(t - 1 - j)) * r[j] * r[j];
    EXPECT_NEAR(forecast.series.at("sigma")[t - 150], std::sqrt(s2), 1e-14) << t;
    EXPECT_NEAR(forecast.var[0][t - 150], 2.3263478740408408 * std::sqrt(s2), 1e-14);
    EXPECT_NEAR(forecast.var[1][t - 150], 1.6448536269514722 * std::sqrt(s2), 1e-14);
  }
  EXPECT_THROW(forecast_ewma(r, 29, 50, {0.01}), std::invalid_argument);  // before its 30 returns
}

// z = r / sigma over the window, VaR = -sigma_t Q_p(z), recomputed with numpy's percentile rule.
TEST(FilteredHs, EwmaFilterMatchesARecomputation) {
  const std::vector<double> r = simulated_returns(700, 2);
  FhsOptions options;
  options.window = 300;
  const VarForecast forecast = forecast_filtered_hs(r, 400, 420, {0.01, 0.025}, options);
  const std::vector<double> sigma = ewma_sigma(r, 0.94);
  for (size_t t = 400; t < 420; ++t) {
    std::vector<double> z;
    for (size_t s = t - 300; s < t; ++s) z.push_back(r[s] / sigma[s]);
    EXPECT_NEAR(forecast.var[0][t - 400], -sigma[t] * linear_quantile(z, 0.01), 1e-15);
    EXPECT_NEAR(forecast.var[1][t - 400], -sigma[t] * linear_quantile(z, 0.025), 1e-15);
  }
  EXPECT_THROW(forecast_filtered_hs(r, 320, 330, {0.01}, options), std::invalid_argument);
}

// The GARCH filter: the day's fit on the window standardises it; sigma_t is its forecast; and a
// change after t - 1 changes nothing of day t's forecast.
TEST(FilteredHs, GarchFilterUsesTheDaysFitAndNothingAfterIt) {
  std::vector<double> r = simulated_returns(400, 3);
  FhsOptions options;
  options.filter = FhsFilter::garch;
  options.window = 251;
  options.garch.distribution = GarchDistribution::normal;
  const VarForecast forecast = forecast_filtered_hs(r, 300, 303, {0.01}, options);
  const std::vector<double> window(r.begin() + 49, r.begin() + 300);
  const GarchFit fit = fit_garch(window, GarchDistribution::normal);
  const std::vector<double> path =
      garch_variance_path(window, fit.parameters, InitialVariance::mean_square, GarchKind::garch);
  std::vector<double> z;
  for (size_t i = 0; i < window.size(); ++i) z.push_back(window[i] / std::sqrt(path[i]));
  EXPECT_NEAR(forecast.series.at("sigma")[0], std::sqrt(path.back()), 1e-15);
  EXPECT_NEAR(forecast.var[0][0], -std::sqrt(path.back()) * linear_quantile(z, 0.01), 1e-15);
  r[300] *= 5.0;  // day 300's own return, and later ones, are not part of its forecast
  r[350] = -0.2;
  const VarForecast changed = forecast_filtered_hs(r, 300, 301, {0.01}, options);
  EXPECT_EQ(changed.var[0][0], forecast.var[0][0]);
}

struct GpdReference {
  double shape, scale, loglik;
};

std::map<std::string, std::vector<double>> gpd_samples() {
  std::ifstream in(std::string(RISKSTEP_SOURCE_DIR) + "/tests/data/gpd_reference_data.csv");
  std::string line, name, value;
  std::getline(in, line);
  std::map<std::string, std::vector<double>> samples;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::getline(fields, name, ',');
    std::getline(fields, value, ',');
    samples[name].push_back(std::stod(value));
  }
  return samples;
}

std::map<std::string, GpdReference> gpd_references() {
  std::ifstream in(std::string(RISKSTEP_SOURCE_DIR) + "/tests/data/gpd_reference.csv");
  std::string line;
  std::getline(in, line);
  std::map<std::string, GpdReference> references;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) f.push_back(field);
    const std::string name = f[0].substr(1, f[0].size() - 2);
    references[name] = {std::stod(f[1]), std::stod(f[2]), std::stod(f[3])};
  }
  return references;
}

// Maximum likelihood against R's evd (fpot) on the committed samples (tests/data/gpd_reference.R).
TEST(Gpd, FitMatchesEvdFpot) {
  const auto samples = gpd_samples();
  const auto references = gpd_references();
  ASSERT_EQ(references.size(), 4u);
  for (const auto& [name, reference] : references) {
    const GpdFit fit = fit_gpd(samples.at(name));
    EXPECT_TRUE(fit.converged) << name;
    EXPECT_NEAR(fit.xi, reference.shape, 2e-3) << name;
    EXPECT_NEAR(fit.beta / reference.scale, 1.0, 2e-3) << name;
    EXPECT_GE(fit.loglik, reference.loglik - 1e-6 * std::fabs(reference.loglik)) << name;
    EXPECT_NEAR(gpd_loglik(samples.at(name), reference.shape, reference.scale), reference.loglik,
                1e-9 * std::fabs(reference.loglik))
        << name;
  }
}

// The tail formulas against the definitions: VaR solves P(L > VaR) = (k/n) (1 - G(VaR - u)) = p
// (bisection) and ES = (1/p) int_0^p VaR_q dq (midpoint rule).
TEST(Gpd, TailVarAndEsSolveTheirDefinitions) {
  for (const double xi : {0.25, 0.0, -0.3}) {
    GpdFit fit;
    fit.xi = xi;
    fit.beta = 0.6;
    const double u = 1.4;
    const size_t n = 500, k = 50;
    auto exceedance = [&](double x) {  // P(L > x) for x >= u
      const double y = x - u;
      const double survival = xi == 0.0 ? std::exp(-y / fit.beta)
                                        : std::pow(std::max(0.0, 1 + xi * y / fit.beta), -1 / xi);
      return double(k) / double(n) * survival;
    };
    for (const double p : {0.01, 0.05}) {
      double low = u, high = u + 100;
      for (int i = 0; i < 200; ++i)
        (exceedance(0.5 * (low + high)) > p ? low : high) = 0.5 * (low + high);
      EXPECT_NEAR(gpd_tail_var(u, fit, n, k, p), 0.5 * (low + high), 1e-10) << xi;
      const int steps = 100000;
      double integral = 0.0;
      for (int i = 0; i < steps; ++i)
        integral += gpd_tail_var(u, fit, n, k, p * (i + 0.5) / steps) / steps;
      EXPECT_NEAR(gpd_tail_es(u, fit, n, k, p), integral, 2e-4 * integral) << xi << " " << p;
    }
  }
  GpdFit fit;
  EXPECT_THROW(gpd_tail_var(1.0, fit, 100, 10, 0.1), std::invalid_argument);  // p not < k/n
}

// GARCH-EVT recomputed from its parts: the day's normal GARCH fit, the standardised losses, the
// GPD over the 26th largest of 251 (k = 25), McNeil-Frey's VaR.
TEST(GarchEvt, VarIsSigmaTimesTheGpdTailQuantile) {
  const std::vector<double> r = simulated_returns(400, 4);
  GarchEvtOptions options;
  const VarForecast forecast = forecast_garch_evt(r, 300, 302, {0.01, 0.05}, options);
  const std::vector<double> window(r.begin() + 49, r.begin() + 300);
  const GarchFit fit = fit_garch(window, GarchDistribution::normal);
  const std::vector<double> path =
      garch_variance_path(window, fit.parameters, InitialVariance::mean_square, GarchKind::garch);
  std::vector<double> losses;
  for (size_t i = 0; i < window.size(); ++i) losses.push_back(-window[i] / std::sqrt(path[i]));
  std::sort(losses.rbegin(), losses.rend());
  std::vector<double> excesses;
  for (int i = 0; i < 25; ++i) excesses.push_back(losses[i] - losses[25]);
  const GpdFit gpd = fit_gpd(excesses);
  const double sigma = std::sqrt(path.back());
  for (const auto& [j, p] : std::vector<std::pair<int, double>>{{0, 0.01}, {1, 0.05}}) {
    const double by_hand =
        losses[25] + gpd.beta / gpd.xi * (std::pow(251.0 * p / 25.0, -gpd.xi) - 1.0);
    EXPECT_NEAR(forecast.var[j][0], sigma * by_hand, 1e-12) << p;
  }
  EXPECT_EQ(forecast.series.at("tail_count")[0], 25.0);
  EXPECT_THROW(forecast_garch_evt(r, 300, 302, {0.15}, options), std::invalid_argument);
}

// All returns since `start`, sorted and read with numpy's percentile rule.
TEST(Unconditional, IsTheQuantileOfEverythingSinceTheStart) {
  const std::vector<double> r = simulated_returns(600, 5);
  const VarForecast forecast = forecast_unconditional(r, 500, 510, {0.01, 0.05}, 100);
  for (size_t t = 500; t < 510; ++t) {
    const std::vector<double> seen(r.begin() + 100, r.begin() + t);
    EXPECT_NEAR(forecast.var[0][t - 500], -linear_quantile(seen, 0.01), 1e-16) << t;
    EXPECT_NEAR(forecast.var[1][t - 500], -linear_quantile(seen, 0.05), 1e-16) << t;
  }
}

}  // namespace
}  // namespace riskstep

namespace riskstep {
namespace {

// A filter's sigma at t uses nothing after t - 1: changing returns from t on leaves sigma_0..t.
TEST(VolatilityFilter, SigmaAtTUsesOnlyEarlierReturns) {
  std::vector<double> r = simulated_returns(500, 9);
  GarchOptions garch;
  garch.distribution = GarchDistribution::normal;
  garch.window = 251;
  for (const VolatilityFilter filter : {VolatilityFilter::ewma, VolatilityFilter::garch}) {
    const FilteredSigma before = filter_sigma(r, filter, 0.94, garch);
    std::vector<double> changed = r;
    for (size_t t = 400; t < changed.size(); ++t) changed[t] = -changed[t] * 3.0;
    const FilteredSigma after = filter_sigma(changed, filter, 0.94, garch);
    for (size_t t = before.first; t <= 400; ++t) EXPECT_EQ(before.sigma[t], after.sigma[t]) << t;
    EXPECT_NE(before.sigma[401], after.sigma[401]);
    EXPECT_EQ(before.first, filter == VolatilityFilter::ewma ? 30u : 251u);
  }
}

// The log-log slope by hand: VaR = c sigma^b gives b; a constant VaR gives 0.
TEST(VolatilityResponse, SlopeOfLogVarOnLogSigma) {
  std::vector<double> sigma, scaled, constant;
  for (int t = 1; t <= 50; ++t) {
    sigma.push_back(0.005 * t);
    scaled.push_back(2.3 * std::pow(0.005 * t, 0.7));
    constant.push_back(0.03);
  }
  EXPECT_NEAR(log_log_slope(scaled, sigma), 0.7, 1e-12);
  EXPECT_NEAR(log_log_slope(constant, sigma), 0.0, 1e-12);
  EXPECT_EQ(log_log_slope({0.01, -0.01}, {0.01, 0.02}), 0.0);  // too few usable days
}

}  // namespace
}  // namespace riskstep
