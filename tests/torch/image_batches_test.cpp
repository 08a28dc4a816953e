#include <gtest/gtest.h>

#include <set>

#include "data/vision/image_batches.h"

namespace riskstep::vision {
namespace {

ImageDataset tiny_dataset(int64_t n) {
  ImageDataset data;
  data.num_classes = 10;
  data.images = torch::arange(n * 2 * 6 * 6).remainder(251).to(torch::kUInt8).view({n, 2, 6, 6});
  data.labels = torch::arange(n) % 10;
  return data;
}

TEST(EpochPlan, EverySampleOncePerEpochAcrossRanks) {
  const EpochPlan plan(10, 4, 7, 0, true);
  EXPECT_EQ(plan.steps(), 3);
  EXPECT_EQ(plan.global_batch_size(2), 2);
  std::multiset<int64_t> seen;
  for (int64_t step = 0; step < plan.steps(); ++step)
    for (int rank = 0; rank < 3; ++rank) {
      const auto [first, last] = plan.rank_positions(step, rank, 3);
      for (int64_t p = first; p < last; ++p) seen.insert(plan.order()[size_t(p)]);
    }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 10u);
}

TEST(EpochPlan, NewPermutationEachEpochReproducibleFromSeed) {
  EXPECT_EQ(EpochPlan(50, 8, 7, 1, true).order(), EpochPlan(50, 8, 7, 1, true).order());
  EXPECT_NE(EpochPlan(50, 8, 7, 1, true).order(), EpochPlan(50, 8, 7, 2, true).order());
  EXPECT_NE(EpochPlan(50, 8, 7, 1, true).order(), EpochPlan(50, 8, 8, 1, true).order());
  EXPECT_EQ(EpochPlan(5, 8, 7, 1, false).order(), (std::vector<int64_t>{0, 1, 2, 3, 4}));
}

TEST(MakeBatch, AugmentationDoesNotDependOnTheRankSplit) {
  const ImageDataset data = tiny_dataset(8);
  const EpochPlan plan(8, 8, 3, 0, true);
  const Normalization normalization{{0.5, 0.5}, {0.25, 0.25}};
  Augmentation augmentation;
  augmentation.enabled = true;
  augmentation.padding = 2;
  const Batch whole = make_batch(data, plan, 0, 8, normalization, augmentation, 3, 0);
  const Batch left = make_batch(data, plan, 0, 3, normalization, augmentation, 3, 0);
  const Batch right = make_batch(data, plan, 3, 8, normalization, augmentation, 3, 0);
  EXPECT_TRUE(whole.images.equal(torch::cat({left.images, right.images})));
  EXPECT_TRUE(whole.labels.equal(torch::cat({left.labels, right.labels})));
  EXPECT_EQ(whole.images.sizes(), (std::vector<int64_t>{8, 2, 6, 6}));
  // Another epoch draws other crops.
  EXPECT_FALSE(
      whole.images.equal(make_batch(data, plan, 0, 8, normalization, augmentation, 3, 1).images));
}

TEST(MakeBatch, NormalisesWithoutAugmentation) {
  const ImageDataset data = tiny_dataset(2);
  const EpochPlan plan(2, 2, 0, 0, false);
  const Batch batch = make_batch(data, plan, 0, 2, {{0.5, 0.0}, {0.25, 1.0}}, Augmentation{}, 0, 0);
  const double pixel = data.images[1][0][2][3].item<uint8_t>() / 255.0;
  EXPECT_NEAR(batch.images[1][0][2][3].item<float>(), (pixel - 0.5) / 0.25, 1e-5);
  EXPECT_EQ(batch.labels[1].item<int64_t>(), 1);
}

}  // namespace
}  // namespace riskstep::vision
