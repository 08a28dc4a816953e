// Batches made on the device (one batched gather, crop and flip) equal make_batch's per-image
// ones bit for bit, with and without augmentation, for any slice of an epoch.
#include "data/vision/device_batches.h"

#include <gtest/gtest.h>

namespace riskstep::vision {
namespace {

ImageDataset random_images(int64_t n, int64_t channels, int64_t side) {
  torch::manual_seed(3);
  ImageDataset dataset;
  dataset.name = "random";
  dataset.images = torch::randint(0, 256, {n, channels, side, side}, torch::kUInt8);
  dataset.labels = torch::randint(0, 10, {n}, torch::kInt64);
  dataset.num_classes = 10;
  return dataset;
}

void expect_same_batches(const ImageDataset& dataset, const Augmentation& augmentation,
                         torch::Device on = torch::kCPU) {
  const Normalization normalization = channel_statistics(dataset);
  DeviceImages device(dataset, normalization, 4, on);
  for (int64_t epoch = 0; epoch < 2; ++epoch) {
    const EpochPlan plan(dataset.size(), 16, 42, epoch, /*shuffle=*/true);
    device.start_epoch(plan, augmentation, 42, epoch);
    for (const auto& [first, last] : std::vector<std::pair<int64_t, int64_t>>{
             {0, 16}, {16, 23}, {23, 32}, {32, 37}, {37, 37}}) {
      const Batch expected =
          make_batch(dataset, plan, first, last, normalization, augmentation, 42, epoch);
      const Batch got = device.batch(first, last);
      EXPECT_TRUE(got.images.is_contiguous());
      ASSERT_TRUE(torch::equal(got.labels.cpu(), expected.labels)) << first << ".." << last;
      ASSERT_EQ(got.images.sizes(), expected.images.sizes());
      EXPECT_TRUE(torch::equal(got.images.cpu(), expected.images)) << first << ".." << last;
    }
  }
}

TEST(DeviceBatches, EqualPerImageBatchesBitForBit) {
  Augmentation augmentation;
  augmentation.enabled = true;
  expect_same_batches(random_images(37, 1, 28), augmentation);  // Fashion-MNIST shape
  expect_same_batches(random_images(37, 3, 32), augmentation);  // CIFAR shape
  augmentation.flip = false;
  expect_same_batches(random_images(37, 3, 12), augmentation);
  expect_same_batches(random_images(37, 1, 28), Augmentation{});  // no augmentation
}

// On a GPU too (the per-byte table keeps CUDA from turning the division by 255 into a multiply).
TEST(DeviceBatches, EqualPerImageBatchesBitForBitOnCuda) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  Augmentation augmentation;
  augmentation.enabled = true;
  expect_same_batches(random_images(37, 1, 28), augmentation, torch::kCUDA);
  expect_same_batches(random_images(37, 3, 32), augmentation, torch::kCUDA);
}

}  // namespace
}  // namespace riskstep::vision
