#include <gtest/gtest.h>

#include <stdexcept>

#include "models/var/historical_simulation.h"

namespace riskstep {
namespace {

TEST(HistoricalSimulation, Type7QuantileInterpolatesLinearly) {
  const std::vector<double> sorted = {1.0, 2.0, 3.0, 4.0, 5.0};
  // h = (n - 1) p: p = 0.01 -> h = 0.04 -> 1 + 0.04 (2 - 1); p = 0.3 -> h = 1.2 -> 2.2.
  EXPECT_DOUBLE_EQ(type7_quantile_sorted(sorted, 0.01), 1.04);
  EXPECT_DOUBLE_EQ(type7_quantile_sorted(sorted, 0.3), 2.2);
  EXPECT_DOUBLE_EQ(type7_quantile_sorted(sorted, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(type7_quantile_sorted({7.0}, 0.01), 7.0);
  EXPECT_THROW(type7_quantile_sorted({}, 0.5), std::invalid_argument);
}

TEST(HistoricalSimulation, VarIsMinusTheWindowQuantile) {
  // Day 5 uses returns[0..4] = {0.03, -0.01, 0.02, -0.04, 0.0}; numpy.quantile gives -0.0388 at
  // p = 0.01 and -0.008 at p = 0.3.
  const std::vector<double> returns = {0.03, -0.01, 0.02, -0.04, 0.0, -0.5};
  const VarForecast f = forecast_historical_simulation(returns, 5, 6, {0.01, 0.3}, 5);
  ASSERT_EQ(f.var.size(), 2u);
  EXPECT_NEAR(f.var[0][0], 0.0388, 1e-15);
  EXPECT_NEAR(f.var[1][0], 0.008, 1e-15);
}

TEST(HistoricalSimulation, UsesOnlyReturnsBeforeTheTestDay) {
  std::vector<double> returns = {0.01, -0.02, 0.03, 0.0, 0.015, -0.01, 0.004};
  const VarForecast before = forecast_historical_simulation(returns, 3, 7, {0.05}, 3);
  returns[6] = -0.9;  // the realised return of the last test day
  const VarForecast after = forecast_historical_simulation(returns, 3, 7, {0.05}, 3);
  EXPECT_EQ(before.var, after.var);
  // Day 4's window is returns[1..3] = {-0.02, 0.03, 0.0}: h = 0.1 -> -0.02 + 0.1 * 0.02.
  EXPECT_NEAR(before.var[0][1], 0.018, 1e-15);
}

TEST(HistoricalSimulation, RejectsTestDaysWithoutAFullWindow) {
  const std::vector<double> returns(10, 0.01);
  EXPECT_THROW(forecast_historical_simulation(returns, 4, 10, {0.01}, 5), std::invalid_argument);
  EXPECT_THROW(forecast_historical_simulation(returns, 5, 11, {0.01}, 5), std::invalid_argument);
  EXPECT_THROW(forecast_historical_simulation(returns, 5, 10, {1.5}, 5), std::invalid_argument);
  EXPECT_NO_THROW(forecast_historical_simulation(returns, 5, 5, {0.01}, 5));
}

}  // namespace
}  // namespace riskstep
