#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "stats/backtest.h"
#include "stats/coverage.h"
#include "stats/dynamic_quantile.h"
#include "stats/traffic_light.h"

namespace riskstep {
namespace {

TEST(BacktestKupiec, MatchesHandComputedValues) {
  // x = 5, T = 250, p = 0.01: -2 [245 ln 0.99 + 5 ln 0.01] + 2 [245 ln 0.98 + 5 ln 0.02].
  EXPECT_NEAR(kupiec_lr_uc(5, 250, 0.01), 1.956809788230622, 1e-12);
  // No hits: pi = 0 and 0 ln 0 = 0, so LR = -2 * 500 ln 0.99.
  EXPECT_NEAR(kupiec_lr_uc(0, 500, 0.01), 10.050335853501451, 1e-12);
  // All hits: pi = 1, LR = -2 * 10 ln 0.01.
  EXPECT_NEAR(kupiec_lr_uc(10, 10, 0.01), 92.10340371976181, 1e-11);
  // Exactly the expected rate: LR = 0.
  EXPECT_NEAR(kupiec_lr_uc(5, 500, 0.01), 0.0, 1e-12);
  EXPECT_EQ(kupiec_lr_uc(0, 0, 0.01), 0.0);  // T = 0 convention
  EXPECT_THROW(kupiec_lr_uc(3, 2, 0.01), std::invalid_argument);
}

TEST(BacktestChristoffersen, MatchesAHandComputedSequence) {
  // Hits 0 1 1 0 0 1 0 0: pairs 01 11 10 00 01 10 00 -> n00 = 2, n01 = 2, n10 = 2, n11 = 1.
  // pi0 = 2/4, pi1 = 1/3, pi = 3/7:
  // LR = -2 [4 ln(4/7) + 3 ln(3/7)] + 2 [2 ln .5 + 2 ln .5 + 2 ln(2/3) + ln(1/3)] = 0.19645...
  const std::vector<int64_t> hit = {0, 1, 1, 0, 0, 1, 0, 0};
  const TransitionCounts c = transition_counts(hit);
  EXPECT_EQ(c.n00, 2);
  EXPECT_EQ(c.n01, 2);
  EXPECT_EQ(c.n10, 2);
  EXPECT_EQ(c.n11, 1);
  EXPECT_NEAR(christoffersen_lr_ind(c), 0.1964510115581639, 1e-13);
  EXPECT_NEAR(chi_square_p_value(christoffersen_lr_ind(c), 1.0), 0.6576008676133727, 1e-12);
}

TEST(BacktestChristoffersen, EdgeCasesAreZeroNotNaN) {
  EXPECT_EQ(christoffersen_lr_ind(transition_counts(std::vector<int64_t>(20, 0))), 0.0);
  EXPECT_EQ(christoffersen_lr_ind(transition_counts(std::vector<int64_t>(20, 1))), 0.0);
  EXPECT_EQ(christoffersen_lr_ind(transition_counts({})), 0.0);
  EXPECT_EQ(christoffersen_lr_ind(transition_counts({1})), 0.0);
  // A single hit on the first day never starts a transition into a hit: still defined, = 0 here
  // because pi0 = pi = 0.
  EXPECT_EQ(christoffersen_lr_ind(transition_counts({1, 0, 0, 0})), 0.0);
}

TEST(BacktestTrafficLight, ReproducesTheBaselTableAt250Days) {
  for (int x = 0; x <= 4; ++x) EXPECT_EQ(basel_traffic_light(x, 250, 0.01), "green") << x;
  for (int x = 5; x <= 9; ++x) EXPECT_EQ(basel_traffic_light(x, 250, 0.01), "yellow") << x;
  for (int x = 10; x <= 30; ++x) EXPECT_EQ(basel_traffic_light(x, 250, 0.01), "red") << x;
  // 500 days: Binomial(500, 0.01) crosses 95% at 9 and 99.99% at 15 exceptions (scipy).
  EXPECT_EQ(basel_traffic_light(8, 500, 0.01), "green");
  EXPECT_EQ(basel_traffic_light(9, 500, 0.01), "yellow");
  EXPECT_EQ(basel_traffic_light(14, 500, 0.01), "yellow");
  EXPECT_EQ(basel_traffic_light(15, 500, 0.01), "red");
  EXPECT_EQ(basel_traffic_light(3, 250, 0.05), "n/a");
  EXPECT_EQ(basel_traffic_light(0, 0, 0.01), "n/a");
}

TEST(BacktestDynamicQuantile, MatchesLeastSquaresReference) {
  // numpy lstsq on X = (1, 4 lagged demeaned hits, VaR), p = 0.05: DQ = b'X'Xb / (p (1 - p)).
  const std::vector<int64_t> hit = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0};
  const std::vector<double> var = {
      0.020856491671436245, 0.022368105065960996, 0.02801274465206397,  0.025821620360643678,
      0.020941286422403994, 0.024331269402364738, 0.02479051298140834,  0.021597389146370785,
      0.027345771514092145, 0.021136720199214035, 0.02391228190495662,  0.025167401826213638,
      0.02430628020414178,  0.025867985714381408, 0.027378377872921602, 0.029562672548360987,
      0.022842011637487915, 0.026485472070798252, 0.026962159966701555, 0.022927207490124873,
      0.02001490083508836,  0.029734602747664127, 0.022984012230168757, 0.023139860020343368,
      0.028917110704451573, 0.02585162939890908,  0.024713096651818315, 0.027732770096488165,
      0.020303460076624712, 0.027069650956556234, 0.023742438334784708, 0.020908527135042577,
      0.02660500067427895,  0.029314638547413546, 0.022071911680810012, 0.02630090199785343,
      0.02298163090657425,  0.027417566800693304, 0.027221648081421176, 0.022187154245688047};
  const DynamicQuantileResult dq = dynamic_quantile_test(hit, var, 0.05);
  EXPECT_EQ(dq.observations, 36);
  EXPECT_EQ(dq.degrees_of_freedom, 6);
  EXPECT_NEAR(dq.statistic, 14.449197487175557, 1e-9);
  EXPECT_NEAR(dq.p_value, 0.02500169044011261, 1e-10);
}

TEST(BacktestDynamicQuantile, ZeroHitsDropsConstantLagsAndStaysFinite) {
  // Hit - p = -p every day lies in the span of the constant: DQ = n p^2 / (p (1 - p)).
  std::vector<double> var(104);
  for (size_t t = 0; t < var.size(); ++t) var[t] = 0.02 + 0.001 * std::sin(0.3 * t);
  const DynamicQuantileResult dq = dynamic_quantile_test(std::vector<int64_t>(104, 0), var, 0.01);
  EXPECT_EQ(dq.degrees_of_freedom, 2);
  EXPECT_NEAR(dq.statistic, 100 * 0.01 / 0.99, 1e-10);
  const DynamicQuantileResult short_series = dynamic_quantile_test({0, 1, 0}, {1, 1, 1}, 0.01);
  EXPECT_EQ(short_series.statistic, 0.0);
  EXPECT_EQ(short_series.p_value, 1.0);
}

TEST(BacktestVolatilityCorrelation, MatchesPandasRollingStd) {
  // pandas: corr(VaR[4:], losses.rolling(5).std()[4:]).
  const std::vector<double> losses = {0.01, -0.02, 0.03, 0.0, 0.015, -0.01, 0.04, 0.02};
  const std::vector<double> var = {0.02, 0.021, 0.025, 0.03, 0.028, 0.026, 0.031, 0.035};
  EXPECT_NEAR(volatility_correlation(losses, var), 0.014194630806671353, 1e-12);
  EXPECT_EQ(volatility_correlation(losses, std::vector<double>(8, 0.02)), 0.0);  // constant VaR
  EXPECT_EQ(volatility_correlation({0.1, 0.2}, {0.1, 0.2}), 0.0);                // too short
}

TEST(Backtest, CombinesAllStatistics) {
  // 250 days, hits on days 10, 11 and 100 (loss >= VaR, equality counts as a hit).
  std::vector<double> losses(250, 0.0), var(250, 0.02);
  losses[10] = 0.03;
  losses[11] = 0.02;
  losses[100] = 0.05;
  const BacktestResult r = backtest(losses, var, 0.01);
  EXPECT_EQ(r.days, 250);
  EXPECT_EQ(r.hits, 3);
  EXPECT_DOUBLE_EQ(r.hit_rate, 0.012);
  EXPECT_EQ(r.n11, 1);
  EXPECT_EQ(r.n01, 2);
  EXPECT_EQ(r.n10, 2);
  EXPECT_EQ(r.n00, 244);
  EXPECT_NEAR(r.lr_uc, kupiec_lr_uc(3, 250, 0.01), 1e-15);
  EXPECT_NEAR(r.lr_cc, r.lr_uc + r.lr_ind, 1e-15);
  EXPECT_NEAR(r.p_cc, chi_square_p_value(r.lr_cc, 2.0), 1e-15);
  EXPECT_EQ(r.traffic_light, "green");
  EXPECT_EQ(r.volatility_correlation, 0.0);  // constant VaR
  EXPECT_TRUE(std::isfinite(r.dq_stat));
}

TEST(Backtest, EmptyAndDegenerateInputsGiveDefinedResults) {
  const BacktestResult empty = backtest({}, {}, 0.01);
  EXPECT_EQ(empty.days, 0);
  EXPECT_EQ(empty.hit_rate, 0.0);
  EXPECT_EQ(empty.lr_uc, 0.0);
  EXPECT_EQ(empty.p_cc, 1.0);
  EXPECT_EQ(empty.traffic_light, "n/a");
  const BacktestResult all =
      backtest(std::vector<double>(30, 1.0), std::vector<double>(30, 0.5), 0.05);
  EXPECT_EQ(all.hits, 30);
  EXPECT_TRUE(std::isfinite(all.lr_cc));
  EXPECT_TRUE(std::isfinite(all.dq_stat));
  EXPECT_EQ(all.traffic_light, "n/a");
  EXPECT_THROW(backtest({0.1}, {0.1, 0.2}, 0.01), std::invalid_argument);
}

}  // namespace
}  // namespace riskstep
