#include "data/market/synthetic_market.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "models/var/returns.h"

namespace riskstep {
namespace {

double sample_variance(const std::vector<double>& values) {
  double mean = 0.0;
  for (double v : values) mean += v;
  mean /= values.size();
  double sum = 0.0;
  for (double v : values) sum += (v - mean) * (v - mean);
  return sum / (values.size() - 1);
}

TEST(SyntheticMarket, SameSeedGivesTheSameSeriesBitForBit) {
  const SyntheticMarket a = generate_synthetic_market({}, 7);
  const SyntheticMarket b = generate_synthetic_market({}, 7);
  EXPECT_EQ(a.dates, b.dates);
  EXPECT_EQ(a.regimes, b.regimes);
  ASSERT_EQ(a.prices.size(), b.prices.size());
  EXPECT_EQ(std::memcmp(a.prices.data(), b.prices.data(), a.prices.size() * sizeof(double)), 0);
  EXPECT_EQ(std::memcmp(a.log_returns.data(), b.log_returns.data(),
                        a.log_returns.size() * sizeof(double)),
            0);
}

TEST(SyntheticMarket, DifferentSeedsGiveDifferentSeries) {
  const SyntheticMarket a = generate_synthetic_market({}, 7);
  const SyntheticMarket b = generate_synthetic_market({}, 8);
  EXPECT_EQ(a.dates, b.dates);
  size_t equal = 0;
  for (size_t i = 0; i < a.log_returns.size(); ++i) equal += a.log_returns[i] == b.log_returns[i];
  EXPECT_EQ(equal, 0u);
}

TEST(SyntheticMarket, DefaultSeriesCoversBothTestPeriodsOnBusinessDays) {
  const SyntheticMarketParams params;
  const SyntheticMarket market = generate_synthetic_market(params, 1);
  // 2010-01-04 (Mon) .. 2022-12-30 (Fri) is 678 whole weeks of 5 business days.
  ASSERT_EQ(market.dates.size(), 678u * 5u);
  EXPECT_EQ(market.dates.front(), "2010-01-04");
  EXPECT_EQ(market.dates.back(), "2022-12-30");
  EXPECT_EQ(market.dates[4], "2010-01-08");
  EXPECT_EQ(market.dates[5], "2010-01-11");  // the weekend is skipped
  EXPECT_EQ(market.prices.front(), params.initial_price);
  EXPECT_EQ(market.log_returns.size(), market.prices.size() - 1);
  EXPECT_EQ(market.conditional_sd.size(), market.log_returns.size());
  EXPECT_EQ(market.regimes.size(), market.prices.size());
  for (size_t i = 0; i < market.log_returns.size(); ++i)
    ASSERT_NEAR(std::log(market.prices[i + 1] / market.prices[i]), market.log_returns[i], 1e-12);

  const ReturnSeries returns = simple_returns(market.dates, market.prices);
  const TestWindow calm = select_test_window(returns, parse_period("calm"));
  const TestWindow covid = select_test_window(returns, parse_period("covid"));
  EXPECT_EQ(calm.size(), 521u);   // 2017-01-02 (Mon) .. 2018-12-31 (Mon)
  EXPECT_EQ(covid.size(), 521u);  // 2021-01-01 (Fri) .. 2022-12-30
}

TEST(SyntheticMarket, PricesStayPositiveAndFinite) {
  SyntheticMarketParams wild;
  wild.student_t_dof = 2.1;  // extremely heavy tails
  wild.turbulent = {2e-4, 0.3, 0.69};
  wild.to_turbulent = 0.2;
  for (std::uint64_t seed : {1, 2, 3}) {
    for (const auto& params : {SyntheticMarketParams{}, wild}) {
      const SyntheticMarket market = generate_synthetic_market(params, seed);
      for (double price : market.prices) ASSERT_TRUE(price > 0.0 && std::isfinite(price)) << price;
    }
  }
}

TEST(SyntheticMarket, StationaryVarianceOfOneRegimeIsTheGarchFormula) {
  SyntheticMarketParams params;
  params.to_turbulent = 0.0;
  EXPECT_NEAR(stationary_log_return_variance(params), 6.4e-5, 1e-17);
  params.turbulent = params.calm;  // two identical regimes behave as one, whatever the switching
  params.to_turbulent = 0.3;
  params.to_calm = 0.1;
  EXPECT_NEAR(stationary_log_return_variance(params), 6.4e-5, 1e-17);
}

TEST(SyntheticMarket, LongRunVarianceMatchesTheory) {
  // One regime, light persistence: the sample variance converges fast.
  SyntheticMarketParams single;
  single.first_date = "2000-01-03";
  single.last_date = "2199-12-31";  // ~52,000 days
  single.to_turbulent = 0.0;
  single.calm = {2e-5, 0.1, 0.6};
  const SyntheticMarket a = generate_synthetic_market(single, 11);
  EXPECT_NEAR(sample_variance(a.log_returns) / stationary_log_return_variance(single), 1.0, 0.05);

  // Default regime-switching market over ~200,000 days.
  SyntheticMarketParams mixed;
  mixed.first_date = "2000-01-03";
  mixed.last_date = "2769-12-31";
  const SyntheticMarket b = generate_synthetic_market(mixed, 1);
  EXPECT_NEAR(sample_variance(b.log_returns) / stationary_log_return_variance(mixed), 1.0, 0.10);
  double turbulent_days = 0;
  for (int regime : b.regimes) turbulent_days += regime;
  EXPECT_NEAR(turbulent_days / b.regimes.size(), 0.005 / (0.005 + 0.02), 0.03);
}

TEST(SyntheticMarket, TurbulentRegimeIsMoreVolatile) {
  SyntheticMarketParams params;
  params.last_date = "2069-12-31";
  const SyntheticMarket market = generate_synthetic_market(params, 3);
  std::vector<double> by_regime[2];
  for (size_t i = 0; i < market.log_returns.size(); ++i)
    by_regime[market.regimes[i + 1]].push_back(market.log_returns[i]);
  ASSERT_GT(by_regime[0].size(), 1000u);
  ASSERT_GT(by_regime[1].size(), 1000u);
  const double calm_sd = std::sqrt(sample_variance(by_regime[0]));
  const double turbulent_sd = std::sqrt(sample_variance(by_regime[1]));
  EXPECT_GT(turbulent_sd, 2.0 * calm_sd) << calm_sd << " vs " << turbulent_sd;
}

TEST(SyntheticMarket, RejectsParametersOutOfRange) {
  const auto message = [](SyntheticMarketParams params) -> std::string {
    try {
      generate_synthetic_market(params, 1);
    } catch (const std::invalid_argument& error) {
      return error.what();
    }
    return "";
  };
  SyntheticMarketParams p;
  p.student_t_dof = 2.0;
  EXPECT_NE(message(p).find("student_t_dof must be > 2"), std::string::npos);
  p = {};
  p.turbulent.beta = 0.88;
  EXPECT_NE(message(p).find("turbulent.alpha + .beta must be < 1"), std::string::npos);
  p = {};
  p.calm.omega = 0.0;
  EXPECT_NE(message(p).find("calm.omega must be > 0"), std::string::npos);
  p = {};
  p.to_calm = 1.5;
  EXPECT_NE(message(p).find("to_calm must be in [0, 1]"), std::string::npos);
  p = {};
  p.first_date = "2010-02-30";
  EXPECT_NE(message(p).find("first_date = '2010-02-30' is not a valid calendar date"),
            std::string::npos);
  p = {};
  p.last_date = "2009-12-31";
  EXPECT_NE(message(p).find("first_date must not be after last_date"), std::string::npos);
  p = {};
  p.initial_price = -1.0;
  EXPECT_NE(message(p).find("initial_price must be positive"), std::string::npos);
}

}  // namespace
}  // namespace riskstep
