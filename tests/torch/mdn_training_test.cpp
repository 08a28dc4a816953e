// Training the LSTM-MDN ensemble: the study's split on the thesis data, bit-for-bit determinism,
// ensemble members identical to networks trained alone, the logit penalty, failure flags.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <set>

#include "data/market/price_csv.h"
#include "models/var/mdn/mdn_ensemble.h"
#include "models/var/returns.h"
#include "test_data.h"

namespace riskstep {
namespace {

TEST(MdnSplit, GspcCalmHas3601TrainingAnd392ValidationAnd502TestSamples) {
  RISKSTEP_REQUIRE_SHARED_DATA(data);
  const PriceSeries prices = read_price_csv(data + "/herrig2023/prices/gspc.csv");
  const ReturnSeries series = simple_returns(prices.dates, prices.prices);
  const TestWindow window = select_test_window(series, parse_period("calm"), 251);
  const MdnSplitSizes sizes = mdn_split_sizes(series.dates, window.first, window.last, 10);
  EXPECT_EQ(sizes.train, 3601u);
  EXPECT_EQ(sizes.validation, 392u);
  EXPECT_EQ(sizes.test, 502u);
  EXPECT_THROW(mdn_split_sizes(series.dates, 20, 30, 10), std::invalid_argument);
  EXPECT_THROW(mdn_split_sizes(series.dates, window.first, series.dates.size() + 1, 10),
               std::invalid_argument);
}

// A small two-regime market: calm N(0, 0.8%) with bursts of N(0, 2.5%).
struct SmallMarket {
  std::vector<double> returns;
  std::vector<std::string> dates;
};

SmallMarket small_market(size_t n) {
  SmallMarket market;
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (size_t i = 0; i < n; ++i) {
    const bool burst = (i / 60) % 4 == 3;
    market.returns.push_back((burst ? 0.025 : 0.008) * normal(rng));
    char date[16];
    std::snprintf(date, sizeof date, "d%06zu", i);
    market.dates.push_back(date);
  }
  return market;
}

MdnTrainingOptions quick(int epochs) {
  MdnTrainingOptions options;
  options.max_epochs = epochs;
  return options;
}

void expect_identical(const MdnMemberResult& a, const MdnMemberResult& b) {
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.epochs_trained, b.epochs_trained);
  EXPECT_EQ(a.train_loss, b.train_loss);  // exact: bit-for-bit
  EXPECT_EQ(a.val_loss, b.val_loss);
  EXPECT_EQ(a.mu, b.mu);
  EXPECT_EQ(a.sigma, b.sigma);
  EXPECT_EQ(a.pi, b.pi);
}

TEST(MdnTraining, RerunIsBitIdenticalAndMembersMatchTrainingAlone) {
  const SmallMarket market = small_market(700);
  const auto arch = mdn_architecture("mdn3");
  const auto ensemble =
      train_mdn_ensemble(market.returns, market.dates, 640, 700, arch, {3, 1, 2}, quick(4));
  const auto rerun =
      train_mdn_ensemble(market.returns, market.dates, 640, 700, arch, {3, 1, 2}, quick(4));
  ASSERT_EQ(ensemble.size(), 3u);
  for (size_t i = 0; i < 3; ++i) expect_identical(ensemble[i], rerun[i]);
  // Alone, and inside an ensemble of a different size and order.
  const auto alone =
      train_mdn_ensemble(market.returns, market.dates, 640, 700, arch, {1}, quick(4));
  expect_identical(ensemble[1], alone[0]);
  const auto other =
      train_mdn_ensemble(market.returns, market.dates, 640, 700, arch, {9, 2, 5, 7, 1}, quick(4));
  expect_identical(ensemble[2], other[1]);
  expect_identical(ensemble[1], other[4]);
  // Different seeds give different networks; outputs have the documented shape.
  EXPECT_NE(ensemble[0].mu, ensemble[1].mu);
  EXPECT_EQ(ensemble[0].mu.size(), 60u * 3);
  EXPECT_EQ(ensemble[0].epoch, (std::vector<int64_t>{1, 2, 3, 4}));
  for (double w : ensemble[0].pi) EXPECT_TRUE(w > 0 && w < 1);
  for (double s : ensemble[0].sigma) EXPECT_GT(s, 0.0);  // ELU + 1 + 1e-7 > 0
}

TEST(MdnTraining, EarlyStoppedMemberIsFrozenWhileOthersTrain) {
  // Patience 1 stops members at different epochs; each must equal its lone run (which would be
  // wrong if a stopped member kept receiving Adam updates).
  const SmallMarket market = small_market(700);
  MdnTrainingOptions options = quick(12);
  options.patience = 1;
  const auto arch = mdn_architecture("mdn2");
  const std::vector<uint64_t> seeds{0, 1, 2, 3, 4, 5};
  const auto ensemble =
      train_mdn_ensemble(market.returns, market.dates, 640, 700, arch, seeds, options);
  std::set<int> stop_epochs;
  for (const auto& r : ensemble) stop_epochs.insert(r.epochs_trained);
  ASSERT_GT(stop_epochs.size(), 1u) << "members should stop at different epochs";
  for (size_t i : {size_t{0}, size_t{5}}) {
    const auto alone =
        train_mdn_ensemble(market.returns, market.dates, 640, 700, arch, {seeds[i]}, options);
    expect_identical(ensemble[i], alone[0]);
  }
  for (const auto& r : ensemble) {
    ASSERT_GE(r.train_loss.size(), 2u);
    if (r.epochs_trained < 12) {  // stopped: the last epoch did not improve on the one before
      EXPECT_GE(r.train_loss.back(), r.train_loss[r.train_loss.size() - 2]);
    }
  }
}

TEST(MdnTraining, LogitPenaltyPullsWeightsTowardsUniform) {
  const SmallMarket market = small_market(900);
  const std::vector<uint64_t> seeds{0, 1, 2, 3};
  auto mean_distance = [&](const std::string& name) {
    const auto results = train_mdn_ensemble(market.returns, market.dates, 840, 900,
                                            mdn_architecture(name), seeds, quick(15));
    double total = 0;
    size_t count = 0;
    for (const auto& r : results)
      for (double w : r.pi) total += std::abs(w - 0.5), ++count;
    return total / count;
  };
  const double plain = mean_distance("mdn2"), penalised = mean_distance("mdn2reg");
  EXPECT_LT(penalised, 0.5 * plain) << "plain " << plain << " penalised " << penalised;
  EXPECT_LT(penalised, 0.05);
}

TEST(MdnTraining, NonFiniteLossIsFlaggedNotHidden) {
  SmallMarket market = small_market(700);
  market.returns[300] = std::numeric_limits<double>::infinity();  // a training target
  const auto results = train_mdn_ensemble(market.returns, market.dates, 640, 700,
                                          mdn_architecture("mdn2"), {0}, quick(5));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].nonfinite_loss);
  EXPECT_EQ(results[0].epochs_trained, 1);
  EXPECT_NE(results[0].failure.find("non-finite"), std::string::npos) << results[0].failure;
}

TEST(MdnTraining, RejectsBadInput) {
  const SmallMarket market = small_market(300);
  const auto arch = mdn_architecture("mdn2");
  MdnTrainingOptions options;
  options.batch_size = 0;
  EXPECT_THROW(train_mdn_ensemble(market.returns, market.dates, 250, 300, arch, {0}, options),
               std::invalid_argument);
  EXPECT_THROW(train_mdn_ensemble(market.returns, market.dates, 250, 301, arch, {0}),
               std::invalid_argument);
  auto bad = arch;
  bad.activation = "sigmoid";
  EXPECT_THROW(train_mdn_ensemble(market.returns, market.dates, 250, 300, bad, {0}),
               std::invalid_argument);
}

}  // namespace
}  // namespace riskstep
