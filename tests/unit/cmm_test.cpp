#include <gtest/gtest.h>

#include <stdexcept>

#include "models/var/cmm.h"

namespace riskstep {
namespace {

TEST(Cmm, VarIsMinusMeanPlusNormalQuantileTimesSd) {
  // Window {0.01, -0.02, 0.03, 0.0}: mean 0.005, sd (n-1) sqrt(0.0013 / 3) = 0.0208167;
  // -(0.005 + Phi^-1(0.01) sd) = 0.043426792723211406 (numpy/scipy).
  const std::vector<double> returns = {0.01, -0.02, 0.03, 0.0, 0.7};
  const VarForecast f = forecast_cmm(returns, 4, 5, {0.01}, 4);
  EXPECT_NEAR(f.var[0][0], 0.043426792723211406, 1e-15);
  EXPECT_NEAR(f.series.at("mean")[0], 0.005, 1e-17);
  EXPECT_NEAR(f.series.at("sd")[0], 0.020816659994661326, 1e-15);
}

TEST(Cmm, MedianLevelGivesMinusTheMean) {
  const std::vector<double> returns = {0.01, -0.02, 0.03, 0.0, 0.7};
  EXPECT_NEAR(forecast_cmm(returns, 4, 5, {0.5}, 4).var[0][0], -0.005, 1e-16);
}

TEST(Cmm, RejectsTestDaysWithoutAFullWindow) {
  EXPECT_THROW(forecast_cmm(std::vector<double>(5, 0.0), 2, 5, {0.01}, 3), std::invalid_argument);
}

}  // namespace
}  // namespace riskstep
