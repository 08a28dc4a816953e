// Training protocols of the networks beyond the study's (models/var/mdn/mdn_protocol.h): the
// study's protocol is exactly train_mdn_ensemble; refits cover every test day once, warm and
// fresh starts differ, a later training window shrinks the training block.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "models/var/mdn/mdn_protocol.h"
#include "models/var/mdn/mdn_split.h"

namespace riskstep {
namespace {

struct Market {
  std::vector<double> returns;
  std::vector<std::string> dates;  // ISO dates, 28 a month: ascending and real
};

Market market(size_t n) {
  Market m;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (size_t i = 0; i < n; ++i) {
    m.returns.push_back(((i / 50) % 3 == 2 ? 0.02 : 0.007) * normal(rng));
    char date[16];
    std::snprintf(date, sizeof date, "%04zu-%02zu-%02zu", 2000 + i / 336, 1 + i / 28 % 12,
                  1 + i % 28);
    m.dates.push_back(date);
  }
  return m;
}

MdnTrainingOptions quick() {
  MdnTrainingOptions options;
  options.max_epochs = 3;
  return options;
}

TEST(MdnProtocol, TheStudysProtocolIsTrainingOnce) {
  const Market m = market(900);
  const auto arch = mdn_architecture("mdn2");
  const auto once = forecast_mdn(m.returns, m.dates, 800, 860, arch, {1, 2}, quick(), {});
  const auto plain = train_mdn_ensemble(m.returns, m.dates, 800, 860, arch, {1, 2}, quick());
  ASSERT_EQ(once.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(once[i].mu, plain[i].mu);
    EXPECT_EQ(once[i].fits, 1);
  }
  EXPECT_EQ(MdnProtocol{}.describe(), "once, all history");
}

TEST(MdnProtocol, RefitsForecastEveryTestDayOnceAndWarmStartsMatter) {
  const Market m = market(900);
  const auto arch = mdn_architecture("mdn2");
  MdnProtocol refit;
  refit.refit_days = 25;
  refit.rolling = true;
  const auto warm = forecast_mdn(m.returns, m.dates, 800, 860, arch, {1}, quick(), refit);
  ASSERT_EQ(warm.size(), 1u);
  EXPECT_EQ(warm[0].fits, 3);  // 25 + 25 + 10 test days
  EXPECT_EQ(warm[0].mu.size(), 60u * 2);
  EXPECT_EQ(warm[0].fit.front(), 0);
  EXPECT_EQ(warm[0].fit.back(), 2);
  EXPECT_EQ(warm[0].fit.size(), warm[0].epoch.size());
  refit.warm_start = false;
  const auto fresh = forecast_mdn(m.returns, m.dates, 800, 860, arch, {1}, quick(), refit);
  EXPECT_EQ(std::vector<double>(warm[0].mu.begin(), warm[0].mu.begin() + 50),
            std::vector<double>(fresh[0].mu.begin(), fresh[0].mu.begin() + 50));  // first fit
  EXPECT_NE(warm[0].mu, fresh[0].mu);
  EXPECT_EQ(refit.describe(), "refit every 25 days, rolling, fresh");
  refit.train_years = 10;
  EXPECT_EQ(refit.describe(), "refit every 25 days, last 10 years, fresh");
}

TEST(MdnProtocol, ALaterTrainingWindowShrinksTheTrainingBlock) {
  const Market m = market(900);
  const MdnSplit all = mdn_split(m.dates, 800, 860, 10);
  const MdnSplit later = mdn_split(m.dates, 800, 860, 10, 300);
  EXPECT_EQ(later.train.first, 311u);  // row 301 on, first target `lags` rows later
  EXPECT_LT(later.train.size(), all.train.size());
  EXPECT_EQ(later.validation.last, all.validation.last);
  EXPECT_THROW(mdn_split(m.dates, 800, 860, 10, 780), std::invalid_argument);
  MdnProtocol recent;
  recent.train_years = 1.0;  // 336 returns a "year" here: about 365 days of dates
  const auto result =
      forecast_mdn(m.returns, m.dates, 800, 860, mdn_architecture("mdn2"), {1}, quick(), recent);
  EXPECT_EQ(result[0].mu.size(), 60u * 2);
}

// Without a validation block a fit trains on every return before its first test day: with a
// monthly refit, each fit's last training target is the day before the days it forecasts.
TEST(MdnProtocol, WithoutValidationEachMonthlyRefitTrainsUpToTheDayBeforeIt) {
  const Market m = market(900);
  const MdnSplit split = mdn_split(m.dates, 800, 860, 10, 300, false);
  EXPECT_EQ(split.train.first, 310u);
  EXPECT_EQ(split.train.last, 800u);  // the last target: return 799
  EXPECT_EQ(split.validation.size(), 0u);
  MdnTrainingOptions options = quick();
  options.validation = MdnValidation::none;
  MdnProtocol monthly;
  monthly.refit_days = 21;
  const auto result =
      forecast_mdn(m.returns, m.dates, 800, 860, mdn_architecture("mdn2"), {1}, options, monthly);
  ASSERT_EQ(result[0].last_target.size(), 3u);
  EXPECT_EQ(result[0].last_target, (std::vector<int64_t>{799, 820, 841}));
}

// Early stopping on the validation loss keeps the weights of the best epoch: they equal a run of
// exactly that many epochs (training does not depend on the stopping rule), bit for bit.
TEST(MdnProtocol, EarlyStoppingRestoresTheBestWeights) {
  const Market m = market(900);
  const auto arch = mdn_architecture("mdn2");
  MdnTrainingOptions early;
  early.max_epochs = 40;
  early.patience = 3;
  early.validation = MdnValidation::early_stop;
  const auto stopped = train_mdn_ensemble(m.returns, m.dates, 800, 860, arch, {4}, early)[0];
  const int64_t best = stopped.best_epoch.at(0);
  ASSERT_GE(best, 1);
  EXPECT_LT(best, stopped.epochs_trained);  // it stopped after the best, and went back
  const auto& val = stopped.val_loss;
  EXPECT_EQ(*std::min_element(val.begin(), val.end()), val[size_t(best - 1)]);
  MdnTrainingOptions exactly;
  exactly.max_epochs = int(best);
  exactly.patience = 1000;
  const auto plain = train_mdn_ensemble(m.returns, m.dates, 800, 860, arch, {4}, exactly)[0];
  EXPECT_EQ(plain.final_parameters, stopped.final_parameters);
  EXPECT_EQ(plain.mu, stopped.mu);
}

// Scaled by the training block's sd, the network sees returns of sd ~1, and its forecast is scaled
// back: the mixture's sigma is of the returns' size, and the scale is recorded.
TEST(MdnProtocol, ScalingByTheTrainingSdScalesTheForecastBack) {
  const Market m = market(900);
  MdnTrainingOptions options = quick();
  options.scale_by_train_sd = true;
  const auto scaled =
      train_mdn_ensemble(m.returns, m.dates, 800, 860, mdn_architecture("mdn2"), {1}, options)[0];
  const MdnSplit split = mdn_split(m.dates, 800, 860, 10);
  double mean = 0, squares = 0;
  for (size_t t = split.train.first; t < split.train.last; ++t) mean += m.returns[t];
  mean /= double(split.train.size());
  for (size_t t = split.train.first; t < split.train.last; ++t)
    squares += (m.returns[t] - mean) * (m.returns[t] - mean);
  EXPECT_NEAR(scaled.train_scale.at(0), std::sqrt(squares / double(split.train.size() - 1)), 1e-15);
  for (double sigma : scaled.sigma) EXPECT_LT(sigma, 0.2);  // returns, not sd units
}

}  // namespace
}  // namespace riskstep
