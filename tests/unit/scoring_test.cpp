// Scores and the Diebold-Mariano test against values computed by hand (each written out below).
#include <gtest/gtest.h>

#include <cmath>

#include "stats/diebold_mariano.h"
#include "stats/scoring.h"

namespace riskstep {
namespace {

TEST(Scores, TickAndFz0ByHand) {
  const std::vector<double> losses = {0.02, -0.01, 0.05}, var = {0.03, 0.03, 0.04},
                            es = {0.04, 0.04, 0.05};
  // (p - 1{L > VaR}) (VaR - L): 0.05 x 0.01, 0.05 x 0.04, -0.95 x -0.01.
  const auto tick = tick_losses(losses, var, 0.05);
  EXPECT_NEAR(tick[0], 0.0005, 1e-16);
  EXPECT_NEAR(tick[1], 0.002, 1e-16);
  EXPECT_NEAR(tick[2], 0.0095, 1e-16);
  // No hit: VaR/ES + log ES - 1 = 0.75 + log 0.04 - 1; a hit adds (L - VaR)/(p ES) = 4.
  const auto fz0 = fz0_losses(losses, var, es, 0.05);
  EXPECT_NEAR(fz0[0], -3.4688758248682006, 1e-14);
  EXPECT_NEAR(fz0[1], -3.4688758248682006, 1e-14);
  EXPECT_NEAR(fz0[2], 4.0 + 0.8 - 2.9957322735539909 - 1.0, 1e-14);
  EXPECT_EQ(fz0_losses({0.01}, {0.01}, {0.0}, 0.05)[0], kFz0Penalty);
}

// Calibrated forecasts score better than a constant one on the same losses: FZ0 is a consistent
// score, the expected loss is smallest at the true VaR and ES.
TEST(Scores, TheTrueForecastHasTheLowestExpectedFz0) {
  std::vector<double> losses;  // an even grid on [0, 1): uniform losses
  for (int i = 0; i < 2000; ++i) losses.push_back((i + 0.5) / 2000.0);
  // Uniform losses on [0, 1): at p = 0.1, VaR = 0.9 and ES = 0.95.
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / double(v.size());
  };
  const size_t n = losses.size();
  const double truth =
      mean(fz0_losses(losses, std::vector<double>(n, 0.9), std::vector<double>(n, 0.95), 0.1));
  for (const auto& [v, e] : std::vector<std::pair<double, double>>{{0.8, 0.9}, {0.95, 0.97}})
    EXPECT_LT(truth,
              mean(fz0_losses(losses, std::vector<double>(n, v), std::vector<double>(n, e), 0.1)));
}

TEST(DieboldMariano, ByHand) {
  // d = 1, 2, 3, 4: mean 2.5, gamma_0 = 1.25, gamma_1 = 0.3125.
  const std::vector<double> a = {1, 2, 3, 4}, b = {0, 0, 0, 0};
  const DieboldMarianoResult plain = diebold_mariano(a, b, 0);
  EXPECT_NEAR(plain.statistic, 2.5 / std::sqrt(1.25 / 4), 1e-12);
  const DieboldMarianoResult nw = diebold_mariano(a, b, 1);  // S = 1.25 + 2 x 0.5 x 0.3125
  EXPECT_NEAR(nw.statistic, 4.0, 1e-12);
  EXPECT_NEAR(nw.p_value, 6.334248366623996e-05, 1e-15);
  EXPECT_EQ(diebold_mariano(a, a).p_value, 1.0);  // no difference at all
  EXPECT_THROW(diebold_mariano({1, 2}, {1, 2}), std::invalid_argument);
}

}  // namespace
}  // namespace riskstep
