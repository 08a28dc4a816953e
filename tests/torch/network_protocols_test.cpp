// Networks that see volatility (jobs/backtest_var/network_forecast.h): on a simulated GARCH(1,1)
// path the thesis's protocol gives a VaR that barely moves with volatility, while a network on
// EWMA-filtered or sd-scaled returns follows it. The measure is the slope of log VaR on log EWMA
// sigma over the test days (stats/volatility_response.h).
#include <gtest/gtest.h>

#include <cstdio>

#include "jobs/backtest_var/network_forecast.h"
#include "models/var/ewma.h"
#include "models/var/garch.h"
#include "models/var/mixture_quantile.h"
#include "stats/volatility_response.h"

namespace riskstep {
namespace {

BacktestInput garch_path_input(const std::string& filter, const std::string& scale) {
  GarchParameters truth;
  truth.omega = 2e-6;
  truth.alpha = 0.1;
  truth.beta = 0.88;
  truth.shape = 6.0;
  BacktestInput input;
  input.market.returns.returns = simulate_garch(truth, GarchDistribution::student_t, 3000, 17);
  for (size_t i = 0; i < 3000; ++i) {
    char date[16];
    std::snprintf(date, sizeof date, "%04zu-%02zu-%02zu", 1990 + i / 252, 1 + i / 21 % 12,
                  1 + i % 21);
    input.market.returns.dates.push_back(date);
  }
  input.market.source = "garch path " + filter;  // the filter cache's key
  input.window = {2500, 3000};
  input.settings.model = input.model = "mdn2";
  input.settings.mdn_filter = filter;
  input.settings.mdn_scale = scale;
  input.settings.max_epochs = 30;
  input.levels = {0.01};
  return input;
}

double mean_slope(const BacktestInput& input) {
  const auto members = forecast_networks(input, {1, 2, 3});
  const std::vector<double> sigma = ewma_sigma(input.market.returns.returns, 0.94);
  const std::vector<double> test_sigma(sigma.begin() + 2500, sigma.end());
  double sum = 0.0;
  for (const auto& member : members)
    sum += log_log_slope(mixture_var(member.mu, member.sigma, member.pi, 2, 0.01), test_sigma);
  return sum / double(members.size());
}

TEST(NetworkProtocols, FilteredAndScaledNetworksFollowVolatility) {
  const double thesis = mean_slope(garch_path_input("none", "none"));
  const double filtered = mean_slope(garch_path_input("ewma", "none"));
  const double scaled = mean_slope(garch_path_input("none", "train_sd"));
  std::printf("slope of log VaR on log sigma: thesis %.3f, ewma-filtered %.3f, scaled %.3f\n",
              thesis, filtered, scaled);
  EXPECT_GT(filtered, thesis + 0.4);
  EXPECT_GT(filtered, 0.8);  // a filtered network's VaR is sigma_t times its quantile
  EXPECT_GT(scaled, thesis + 0.2);
}

}  // namespace
}  // namespace riskstep
