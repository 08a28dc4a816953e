#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <vector>

#include "models/var/historical_simulation.h"
#include "models/var/innovations.h"
#include "models/var/mixture_quantile.h"
#include "stats/acerbi_szekely.h"
#include "stats/coverage.h"
#include "stats/duration_test.h"
#include "stats/expected_shortfall.h"
#include "stats/loss_sampler.h"
#include "stats/mcneil_frey.h"
#include "stats/monte_carlo.h"
#include "stats/monte_carlo_coverage.h"

namespace riskstep {
namespace {

// A test window of zero-mean normal loss forecasts with varying scale (a GARCH-like path),
// realised losses drawn with the scale multiplied by `misspecification`.
struct NormalBacktest {
  std::vector<double> losses, var, es, scale;
  std::vector<LossSampler> samplers;
};

NormalBacktest normal_backtest(size_t days, double p, double misspecification, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  const double unit_var = -innovation_quantile(GarchDistribution::normal, 0.0, p);
  const double unit_es = unit_innovation_es(GarchDistribution::normal, 0.0, p);
  NormalBacktest b;
  for (size_t t = 0; t < days; ++t) {
    const double sigma = 0.01 * (1.0 + 0.5 * std::sin(0.05 * static_cast<double>(t)));
    b.scale.push_back(sigma);
    b.var.push_back(sigma * unit_var);
    b.es.push_back(sigma * unit_es);
    b.samplers.push_back(location_scale_loss_sampler(0.0, sigma, GarchDistribution::normal, 0.0));
    b.losses.push_back(misspecification * sigma * z(rng));
  }
  return b;
}

double mean(const std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double fraction_below(const std::vector<double>& values, double threshold) {
  return static_cast<double>(std::count_if(values.begin(), values.end(),
                                           [&](double v) { return v <= threshold; })) /
         static_cast<double>(values.size());
}

TEST(MonteCarloPValue, CountsTiesAsExtreme) {
  // Observed 2 against {1, 2, 3, 0.5}: 2 and 3 are >= 2, so (1 + 2) / (4 + 1) = 0.6.
  EXPECT_DOUBLE_EQ(monte_carlo_p_value(2.0, {1.0, 2.0, 3.0, 0.5}), 0.6);
  // 2 - 1e-15 is the same statistic up to rounding: still a tie.
  EXPECT_DOUBLE_EQ(monte_carlo_p_value(2.0, {2.0 - 1e-15, 1.0}), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(monte_carlo_p_value(5.0, {1.0, 2.0}), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(monte_carlo_p_value(1.0, {}), 1.0);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_DOUBLE_EQ(monte_carlo_p_value(inf, {inf, 3.0}), 2.0 / 3.0);
}

// Draws of a sampler at or above `var`: their mean (E[L | L >= VaR]) with its standard error, and
// their fraction of all draws (P(L >= VaR)).
struct TailDraws {
  double mean, standard_error, fraction;
};
TailDraws simulate_tail(const LossSampler& sampler, double var, int draws, uint64_t seed) {
  std::mt19937_64 rng(seed);
  double sum = 0.0, squares = 0.0;
  int kept = 0;
  for (int i = 0; i < draws; ++i) {
    const double loss = sampler(rng);
    if (loss < var) continue;
    sum += loss;
    squares += loss * loss;
    ++kept;
  }
  const double m = sum / kept;
  return {m, std::sqrt((squares / kept - m * m) / kept), static_cast<double>(kept) / draws};
}

TEST(LossSampler, DrawsReproduceTheClosedFormEs) {
  const double p = 0.025;
  struct Case {
    double location, scale;
    GarchDistribution distribution;
    double shape;
  };
  for (const Case& c : {Case{0.004, 0.012, GarchDistribution::normal, 0.0},
                        Case{0.0, 0.02, GarchDistribution::ged, 1.3},
                        Case{-0.002, 0.015, GarchDistribution::student_t, 4.0}}) {
    const LossSampler sampler =
        location_scale_loss_sampler(c.location, c.scale, c.distribution, c.shape);
    const double var = -(c.location + c.scale * innovation_quantile(c.distribution, c.shape, p));
    const TailDraws tail = simulate_tail(sampler, var, 400000, 5);
    EXPECT_NEAR(tail.mean, location_scale_es(c.location, c.scale, c.distribution, c.shape, p),
                4.0 * tail.standard_error)
        << to_string(c.distribution);
    EXPECT_NEAR(tail.fraction, p, 4.0 * std::sqrt(p * (1.0 - p) / 400000.0));
    const TailDraws all =
        simulate_tail(sampler, -std::numeric_limits<double>::infinity(), 100000, 6);
    EXPECT_NEAR(all.mean, -c.location, 4.0 * all.standard_error) << to_string(c.distribution);
  }
  const std::vector<double> mu = {0.001, -0.004}, sigma = {0.009, 0.03}, w = {0.85, 0.15};
  const double var = -mixture_quantile(mu.data(), sigma.data(), w.data(), 2, p);
  const TailDraws tail = simulate_tail(mixture_loss_sampler(mu, sigma, w), var, 400000, 6);
  EXPECT_NEAR(tail.mean, mixture_es(mu.data(), sigma.data(), w.data(), 2, p),
              4.0 * tail.standard_error);
  EXPECT_NEAR(tail.fraction, p, 4.0 * std::sqrt(p * (1.0 - p) / 400000.0));
}

TEST(LossSampler, EmpiricalDrawsAreTheWindowsLossesUniformly) {
  // Window of 5 returns: each loss -R_i with probability 1/5.
  const std::vector<double> window = {0.01, -0.02, 0.005, -0.04, 0.0};
  const LossSampler sampler = empirical_loss_sampler(window);
  std::mt19937_64 rng(8);
  std::map<double, int> counts;
  const int draws = 100000;
  for (int i = 0; i < draws; ++i) ++counts[sampler(rng)];
  ASSERT_EQ(counts.size(), 5u);
  for (double r : window) EXPECT_NEAR(counts[-r] / double(draws), 0.2, 0.006) << r;  // 4.7 sd
  // Under its own empirical forecast E[L | L >= VaR_HS] is exactly historical_es (p = .25: the
  // losses .04 and .02 at or beyond VaR = .02 are equally likely, ES = .03).
  std::vector<double> sorted = window;
  std::sort(sorted.begin(), sorted.end());
  const TailDraws tail = simulate_tail(sampler, -type7_quantile_sorted(sorted, 0.25), draws, 9);
  EXPECT_NEAR(tail.mean, historical_es(window, 0.25), 4.0 * tail.standard_error);
  EXPECT_NEAR(historical_es(window, 0.25), 0.03, 1e-15);
  EXPECT_THROW(empirical_loss_sampler({}), std::invalid_argument);
  EXPECT_THROW(mixture_loss_sampler({0.0}, {-1.0}, {1.0}), std::invalid_argument);
  EXPECT_THROW(location_scale_loss_sampler(0.0, 1.0, GarchDistribution::student_t, 2.0),
               std::invalid_argument);
}

TEST(AcerbiSzekely, MatchesHandComputedZ2) {
  // p = .25, T = 4. Hits on days 0 (.03 >= .02) and 2 (.04 >= .04, a tie is a hit):
  // sum L I / ES = .03/.025 + .04/.05 = 1.2 + 0.8 = 2; T p = 1; Z2 = 2 / 1 - 1 = 1.
  const std::vector<double> losses = {0.03, 0.01, 0.04, -0.01};
  const std::vector<double> var = {0.02, 0.02, 0.04, 0.02};
  const std::vector<double> es = {0.025, 0.03, 0.05, 0.03};
  EXPECT_NEAR(acerbi_szekely_z2(losses, var, es, 0.25), 1.0, 1e-14);
  // No hits: Z2 = -1. No days: 0.
  EXPECT_DOUBLE_EQ(acerbi_szekely_z2({0.0, 0.0}, {0.1, 0.1}, {0.2, 0.2}, 0.01), -1.0);
  EXPECT_EQ(acerbi_szekely_z2({}, {}, {}, 0.01), 0.0);
  EXPECT_THROW(acerbi_szekely_z2(losses, var, {0.025, 0.0, 0.05, 0.03}, 0.25),
               std::invalid_argument);
  EXPECT_THROW(acerbi_szekely_z2(losses, var, es, 0.0), std::invalid_argument);
  EXPECT_THROW(acerbi_szekely_test(losses, var, es, 0.25, {}), std::invalid_argument);
}

TEST(AcerbiSzekely, PValuesAreRoughlyUniformUnderTheModel) {
  std::vector<double> p_values;
  for (uint64_t replication = 0; replication < 200; ++replication) {
    const NormalBacktest b = normal_backtest(250, 0.025, 1.0, 100 + replication);
    p_values.push_back(
        acerbi_szekely_test(b.losses, b.var, b.es, 0.025, b.samplers, {199, replication}).p_value);
  }
  // Uniform: mean .5 (sd .02 over 200), 5% below .05 (binomial sd 1.5%), 50% below .5 (sd 3.5%).
  EXPECT_NEAR(mean(p_values), 0.5, 0.07);
  EXPECT_NEAR(fraction_below(p_values, 0.05), 0.05, 0.045);
  EXPECT_NEAR(fraction_below(p_values, 0.5), 0.5, 0.11);
}

TEST(AcerbiSzekely, RejectsWhenEsIsTooLow) {
  // Realised scale 1.4x the forecast: hit rate P(Z > 1.96 / 1.4) = 8% instead of 2.5%, and
  // larger tail losses; Z2 is far above 0.
  int rejections = 0;
  for (uint64_t replication = 0; replication < 50; ++replication) {
    const NormalBacktest b = normal_backtest(250, 0.025, 1.4, 500 + replication);
    const SimulatedTestResult r =
        acerbi_szekely_test(b.losses, b.var, b.es, 0.025, b.samplers, {199, replication});
    EXPECT_GT(r.statistic, 0.0);
    rejections += r.p_value < 0.05;
  }
  EXPECT_GE(rejections, 45);
}

TEST(AcerbiSzekely, RejectsHeavyTailsBehindACorrectVar) {
  // Realised losses unit-variance t(3) rescaled so their 2.5% quantile equals the normal VaR:
  // the hit rate is right, only the losses beyond VaR are larger than the normal ES says.
  const double p = 0.025;
  const double match = innovation_quantile(GarchDistribution::normal, 0.0, p) /
                       innovation_quantile(GarchDistribution::student_t, 3.0, p);
  std::vector<double> p_values;
  for (uint64_t replication = 0; replication < 50; ++replication) {
    NormalBacktest b = normal_backtest(1000, p, 1.0, 900 + replication);
    std::mt19937_64 rng(replication);
    for (size_t t = 0; t < b.losses.size(); ++t)
      b.losses[t] = b.scale[t] * match * sample_innovation(GarchDistribution::student_t, 3.0, rng);
    p_values.push_back(
        acerbi_szekely_test(b.losses, b.var, b.es, p, b.samplers, {199, replication}).p_value);
  }
  // Power of about a third at 5% (34% with these seeds, mean p .23) against a size of 5%.
  EXPECT_LT(mean(p_values), 0.3);
  EXPECT_GT(fraction_below(p_values, 0.05), 0.2);
}

TEST(AcerbiSzekely, HistoricalSimulationSamplersAndSeeds) {
  std::mt19937_64 rng(21);
  std::normal_distribution<double> z(0.0, 0.01);
  std::vector<double> returns(400);
  for (double& r : returns) r = z(rng);
  const size_t first = 251, last = 400;
  std::vector<double> losses, var;
  for (size_t t = first; t < last; ++t) {
    std::vector<double> sorted(returns.begin() + (t - 251), returns.begin() + t);
    std::sort(sorted.begin(), sorted.end());
    var.push_back(-type7_quantile_sorted(sorted, 0.05));
    losses.push_back(-returns[t]);
  }
  const std::vector<double> es = historical_es_series(returns, first, last, 0.05);
  const std::vector<LossSampler> samplers = historical_loss_samplers(returns, first, last);
  const SimulatedTestResult a = acerbi_szekely_test(losses, var, es, 0.05, samplers, {300, 4});
  const SimulatedTestResult b = acerbi_szekely_test(losses, var, es, 0.05, samplers, {300, 4});
  const SimulatedTestResult c = acerbi_szekely_test(losses, var, es, 0.05, samplers, {300, 5});
  EXPECT_EQ(a.p_value, b.p_value);
  EXPECT_NE(a.p_value, c.p_value);
  EXPECT_EQ(a.simulations, 300);
  EXPECT_GT(a.p_value, 0.01);  // iid normal returns: HS is a fair forecast
}

TEST(McNeilFrey, MatchesHandComputedResiduals) {
  // Hits on days 0, 1, 3 (day 2 misses): residuals L - ES = .01, .03, -.01.
  // mean .01, sd = sqrt((0 + .02^2 + .02^2) / 2) = .02, t = .01 / (.02 / sqrt 3) = sqrt(3) / 2.
  const std::vector<double> losses = {0.04, 0.06, 0.0, 0.03};
  const std::vector<double> var = {0.02, 0.02, 0.02, 0.02};
  const std::vector<double> es = {0.03, 0.03, 0.03, 0.04};
  const ExceedanceResidualResult r = mcneil_frey_test(losses, var, es, {}, {999, 1});
  EXPECT_EQ(r.exceedances, 3);
  EXPECT_NEAR(r.mean_residual, 0.01, 1e-15);
  EXPECT_NEAR(r.statistic, std::sqrt(3.0) / 2.0, 1e-13);
  EXPECT_GT(r.p_value, 0.1);
  // Scaled by s = (.01, .03, -, .01): residuals 1, 1, -1; mean 1/3, sd = sqrt(8/9 * 3 / 2)
  // = 2/sqrt3, t = (1/3) / (2/sqrt3 / sqrt3) = 1/2.
  const ExceedanceResidualResult s =
      mcneil_frey_test(losses, var, es, {0.01, 0.03, 1.0, 0.01}, {999, 1});
  EXPECT_NEAR(s.mean_residual, 1.0 / 3.0, 1e-14);
  EXPECT_NEAR(s.statistic, 0.5, 1e-13);
}

TEST(McNeilFrey, FewerThanTwoExceedancesAndErrors) {
  const ExceedanceResidualResult none = mcneil_frey_test({0.0, 0.01}, {0.02, 0.02}, {0.03, 0.03});
  EXPECT_EQ(none.exceedances, 0);
  EXPECT_EQ(none.statistic, 0.0);
  EXPECT_EQ(none.p_value, 1.0);
  const ExceedanceResidualResult one = mcneil_frey_test({0.05, 0.01}, {0.02, 0.02}, {0.03, 0.03});
  EXPECT_EQ(one.exceedances, 1);
  EXPECT_NEAR(one.mean_residual, 0.02, 1e-15);
  EXPECT_EQ(one.statistic, 0.0);
  EXPECT_EQ(one.p_value, 1.0);
  // Two equal positive residuals: sd 0, t = +inf; the centred bootstrap gives only t* = 0.
  const ExceedanceResidualResult equal =
      mcneil_frey_test({0.05, 0.05}, {0.02, 0.02}, {0.03, 0.03}, {}, {99, 1});
  EXPECT_TRUE(std::isinf(equal.statistic));
  EXPECT_DOUBLE_EQ(equal.p_value, 0.01);
  EXPECT_THROW(mcneil_frey_test({0.05}, {0.02}, {0.03}, {0.0}), std::invalid_argument);
  EXPECT_THROW(mcneil_frey_test({0.05}, {0.02}, {}), std::invalid_argument);
}

TEST(McNeilFrey, BootstrapAgreesWithStudentTForNormalResiduals) {
  // Normal residuals: the bootstrap-t p-value approximates P(t_{n-1} >= t).
  std::mt19937_64 rng(31);
  std::normal_distribution<double> z(0.003, 0.01);
  std::vector<double> losses(60), var(60, -1.0), es(60, 0.0);
  for (double& l : losses) l = z(rng);
  const ExceedanceResidualResult r = mcneil_frey_test(losses, var, es, {}, {4000, 2});
  const double t_p =
      boost::math::cdf(boost::math::complement(boost::math::students_t(59.0), r.statistic));
  EXPECT_NEAR(r.p_value, t_p, 0.02);
}

TEST(McNeilFrey, UniformUnderTheModelAndPowerWhenEsIsTooLow) {
  std::vector<double> null_p, low_p;
  for (uint64_t replication = 0; replication < 200; ++replication) {
    const NormalBacktest b = normal_backtest(1000, 0.05, 1.0, 2000 + replication);
    null_p.push_back(mcneil_frey_test(b.losses, b.var, b.es, b.scale, {199, replication}).p_value);
  }
  for (uint64_t replication = 0; replication < 50; ++replication) {
    const NormalBacktest b = normal_backtest(1000, 0.05, 1.3, 3000 + replication);
    low_p.push_back(mcneil_frey_test(b.losses, b.var, b.es, b.scale, {199, replication}).p_value);
  }
  EXPECT_NEAR(mean(null_p), 0.5, 0.07);
  EXPECT_NEAR(fraction_below(null_p, 0.05), 0.05, 0.045);
  EXPECT_GT(fraction_below(low_p, 0.05), 0.8);
}

TEST(DurationTest, SpellsFollowThePapersCensoring) {
  // Days 1..10, hits on days 3, 4, 8: left-censored 3, uncensored 1 and 4, right-censored 10 - 8.
  const HitDurations a = hit_durations({0, 0, 1, 1, 0, 0, 0, 1, 0, 0});
  EXPECT_EQ(a.lengths, (std::vector<double>{3, 1, 4, 2}));
  EXPECT_EQ(a.censored, (std::vector<bool>{true, false, false, true}));
  // Hits on the first and last day: no censored spell.
  const HitDurations b = hit_durations({1, 0, 1, 0, 0, 1});
  EXPECT_EQ(b.lengths, (std::vector<double>{2, 3}));
  EXPECT_EQ(b.censored, (std::vector<bool>{false, false}));
  EXPECT_TRUE(hit_durations({0, 0, 0}).lengths.empty());
}

std::vector<int64_t> hits_on_days(size_t days, const std::vector<size_t>& one_based) {
  std::vector<int64_t> hits(days, 0);
  for (size_t d : one_based) hits[d - 1] = 1;
  return hits;
}

TEST(DurationTest, MatchesTheFullTwoParameterFit) {
  // References: scipy Nelder-Mead on (log a, log b) of the full censored Weibull likelihood (no
  // profiling), and a bounded scalar fit of the exponential.
  // T = 20, hits 3 4 5 12 18: spells 3 (censored) 1 1 7 6 2 (censored).
  const DurationTestResult a =
      christoffersen_pelletier_test(hits_on_days(20, {3, 4, 5, 12, 18}), 0.1);
  EXPECT_EQ(a.hits, 5);
  EXPECT_NEAR(a.weibull_b, 1.47410907, 1e-5);
  EXPECT_NEAR(a.statistic, 0.8147358128680331, 1e-7);
  EXPECT_NEAR(a.p_value, 0.3667238000736127, 1e-7);
  // T = 30, hits 1 2 3 10 11 30: uncensored spells 1 1 7 1 19.
  const DurationTestResult b =
      christoffersen_pelletier_test(hits_on_days(30, {1, 2, 3, 10, 11, 30}), 0.1);
  EXPECT_NEAR(b.weibull_b, 0.80962106, 1e-5);
  EXPECT_NEAR(b.statistic, 0.4245914773679331, 1e-7);
  EXPECT_NEAR(b.p_value, 0.51465483238749, 1e-7);
}

TEST(DurationTest, FewerThanTwoHitsAndTheShapeBound) {
  for (const auto& hits : {std::vector<int64_t>(50, 0), hits_on_days(50, {20}),
                           hits_on_days(50, {1}), std::vector<int64_t>{}}) {
    const DurationTestResult r =
        christoffersen_pelletier_test(hits, 0.01, MonteCarloOptions{50, 1});
    EXPECT_EQ(r.statistic, 0.0);
    EXPECT_EQ(r.weibull_b, 1.0);
    EXPECT_EQ(r.p_value, 1.0);
    EXPECT_EQ(r.mc_p_value, 1.0);  // every LR >= 0 ties with it
  }
  // Perfectly regular hits every 10 days: the likelihood rises in b without bound; b stops at 10.
  std::vector<size_t> days;
  for (size_t d = 10; d <= 200; d += 10) days.push_back(d);
  const DurationTestResult regular = christoffersen_pelletier_test(hits_on_days(200, days), 0.1);
  EXPECT_NEAR(regular.weibull_b, 10.0, 1e-6);
  EXPECT_LT(regular.p_value, 1e-6);
  EXPECT_THROW(christoffersen_pelletier_test({0, 1}, 1.0), std::invalid_argument);
}

// Markov hits: P(hit | hit yesterday) = stay, otherwise `start`.
std::vector<int64_t> clustered_hits(size_t days, double start, double stay, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int64_t> hits(days);
  for (size_t t = 0; t < days; ++t)
    hits[t] = uniform01(rng) < ((t > 0 && hits[t - 1]) ? stay : start) ? 1 : 0;
  return hits;
}

TEST(DurationTest, DetectsClusteredHits) {
  // 1000 days, about 13 hits, a hit followed by another with probability .4. In 200 replications
  // b < 1 in 97% and the simulated p-value is below .05 in 77%.
  int decreasing_hazard = 0, rejections = 0;
  for (uint64_t replication = 0; replication < 50; ++replication) {
    const DurationTestResult r = christoffersen_pelletier_test(
        clustered_hits(1000, 0.0075, 0.4, replication), 0.01, {{199, replication}});
    decreasing_hazard += r.weibull_b < 1.0;
    rejections += r.mc_p_value < 0.05;
  }
  EXPECT_GE(decreasing_hazard, 44);
  EXPECT_GE(rejections, 30);
}

TEST(DurationTest, MonteCarloPValuesHoldTheirSizeWhereChiSquareDoesNot) {
  // 250 days at p = .01 (2.5 expected hits): the chi2(1) p-value rejects a correct model far more
  // than 5% of the time (about 17% in 2000 replications); the simulated one does not.
  std::vector<double> chi2_p, mc_p;
  for (uint64_t replication = 0; replication < 600; ++replication) {
    std::mt19937_64 rng(7000 + replication);
    const DurationTestResult r =
        christoffersen_pelletier_test(bernoulli_hits(250, 0.01, rng), 0.01, {{99, replication}});
    chi2_p.push_back(r.p_value);
    mc_p.push_back(r.mc_p_value);
  }
  EXPECT_GT(fraction_below(chi2_p, 0.05), 0.09);
  EXPECT_LT(fraction_below(mc_p, 0.05), 0.075);
}

TEST(DurationTest, MonteCarloPValueApproachesChiSquareInLargeSamples) {
  // 5000 days at p = .01 (50 expected hits), where the chi2 approximation is adequate (size 4.6%
  // in 2000 replications). At p = .05 it is not, even with 150 hits (size 21% at T = 3000): the
  // durations are geometric, not exponential, and the Weibull fit sees the difference.
  std::mt19937_64 rng(3);
  const std::vector<int64_t> hits = bernoulli_hits(5000, 0.01, rng);
  const DurationTestResult r = christoffersen_pelletier_test(hits, 0.01, {{2000, 8}});
  EXPECT_NEAR(r.mc_p_value, r.p_value, 0.03);
  EXPECT_EQ(r.simulations, 2000);
}

TEST(MonteCarloCoverage, KupiecMatchesTheExactBinomialTail) {
  // Exact P(LR_uc(X) >= observed), X ~ Binomial(250, .01), summed with scipy:
  // 0 hits: LR = 5.025, exact .09476 (chi2(1) says .02498); 6 hits: LR = 3.555, exact .12224.
  const CoveragePValues none =
      monte_carlo_coverage_p_values(std::vector<int64_t>(250, 0), 0.01, {20000, 3});
  EXPECT_NEAR(none.p_uc, 0.09475996401738494, 0.0062);  // 3 binomial sd of 20000 draws
  std::vector<int64_t> six(250, 0);
  for (size_t d : {10, 50, 90, 130, 170, 210}) six[d] = 1;
  const CoveragePValues r = monte_carlo_coverage_p_values(six, 0.01, {20000, 3});
  EXPECT_NEAR(r.p_uc, 0.12224170023202967, 0.007);
  EXPECT_EQ(r.simulations, 20000);
  EXPECT_EQ(coverage_statistics(six, 0.01).lr_uc, kupiec_lr_uc(6, 250, 0.01));
}

TEST(MonteCarloCoverage, ApproachesChiSquareInLargeSamplesAndIsSeeded) {
  // 2000 days at p = .05 (100 expected hits), mildly clustered.
  const std::vector<int64_t> hits = clustered_hits(2000, 0.05, 0.1, 12);
  const CoverageStatistics s = coverage_statistics(hits, 0.05);
  const CoveragePValues r = monte_carlo_coverage_p_values(hits, 0.05, {4000, 1});
  EXPECT_NEAR(r.p_uc, chi_square_p_value(s.lr_uc, 1.0), 0.03);
  EXPECT_NEAR(r.p_ind, chi_square_p_value(s.lr_ind, 1.0), 0.03);
  EXPECT_NEAR(r.p_cc, chi_square_p_value(s.lr_cc, 2.0), 0.03);
  EXPECT_NEAR(s.lr_cc, s.lr_uc + s.lr_ind, 1e-12);
  const CoveragePValues again = monte_carlo_coverage_p_values(hits, 0.05, {4000, 1});
  EXPECT_EQ(r.p_cc, again.p_cc);
  EXPECT_EQ(monte_carlo_coverage_p_values(hits, 0.05, {0, 1}).p_uc, 1.0);
}

}  // namespace
}  // namespace riskstep
