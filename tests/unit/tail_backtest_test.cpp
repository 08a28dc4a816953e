// The ES backtests together (stats/tail_backtest.h): a right forecast passes, one that
// underestimates the tail fails, and the p-values are reproducible from the seed.
#include "stats/tail_backtest.h"

#include <gtest/gtest.h>

#include <random>

#include "models/var/innovations.h"
#include "stats/expected_shortfall.h"

namespace riskstep {
namespace {

struct Sample {
  std::vector<double> losses, var;
  TailForecast tail;
};

// Losses N(0, truth^2); the forecast says N(0, forecast^2).
Sample normal_sample(double truth, double forecast, double level, uint64_t seed) {
  Sample s;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, truth);
  const double var = forecast * -innovation_quantile(GarchDistribution::normal, 0, level);
  for (int day = 0; day < 750; ++day) {
    s.losses.push_back(normal(rng));
    s.var.push_back(var);
    s.tail.es.push_back(location_scale_es(0, forecast, GarchDistribution::normal, 0, level));
    s.tail.samplers.push_back(
        location_scale_loss_sampler(0, forecast, GarchDistribution::normal, 0));
    s.tail.scale.push_back(forecast);
  }
  return s;
}

TEST(TailBacktest, RightForecastPassesAndTooThinTailFails) {
  TailBacktestOptions options;
  options.monte_carlo.simulations = 400;
  options.monte_carlo_coverage = true;
  const Sample right = normal_sample(0.01, 0.01, 0.025, 3);
  const TailBacktestResult good =
      tail_backtest(right.losses, right.var, 0.025, right.tail, options);
  EXPECT_GT(good.p_z2, 0.05);
  EXPECT_TRUE(good.has_mc_coverage);
  EXPECT_GT(good.p_uc_mc, 0.05);
  const Sample thin = normal_sample(0.015, 0.01, 0.025, 3);  // the truth is 1.5x wider
  const TailBacktestResult bad = tail_backtest(thin.losses, thin.var, 0.025, thin.tail, options);
  EXPECT_GT(bad.z2, 0.0);
  EXPECT_LT(bad.p_z2, 0.01);
  EXPECT_LT(bad.p_mf, 0.05);
  EXPECT_LT(bad.p_uc_mc, 0.01);
  const TailBacktestResult again = tail_backtest(thin.losses, thin.var, 0.025, thin.tail, options);
  EXPECT_EQ(again.p_z2, bad.p_z2);  // seeded
  EXPECT_EQ(again.p_mf, bad.p_mf);
}

}  // namespace
}  // namespace riskstep
