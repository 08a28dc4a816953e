#include "data/vision/image_batches.h"

#include <stdexcept>

namespace riskstep::vision {

uint64_t mix64(uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

EpochPlan::EpochPlan(int64_t dataset_size, int64_t global_batch, uint64_t seed, int64_t epoch,
                     bool shuffle)
    : global_batch_(global_batch), order_(size_t(dataset_size)) {
  if (global_batch <= 0) throw std::invalid_argument("global batch must be positive");
  for (int64_t i = 0; i < dataset_size; ++i) order_[size_t(i)] = i;
  if (!shuffle) return;
  // Fisher-Yates with an explicit generator, so the order is the same on every platform.
  uint64_t state = mix64(seed ^ mix64(uint64_t(epoch) + 1));
  for (int64_t i = dataset_size - 1; i > 0; --i) {
    state = mix64(state);
    std::swap(order_[size_t(i)], order_[size_t(state % uint64_t(i + 1))]);
  }
}

int64_t EpochPlan::steps() const {
  return (int64_t(order_.size()) + global_batch_ - 1) / global_batch_;
}

int64_t EpochPlan::global_batch_size(int64_t step) const {
  return std::min(global_batch_, int64_t(order_.size()) - step * global_batch_);
}

std::pair<int64_t, int64_t> EpochPlan::rank_positions(int64_t step, int rank, int ranks) const {
  const int64_t begin = step * global_batch_;
  const int64_t length = global_batch_size(step);
  return {begin + length * rank / ranks, begin + length * (rank + 1) / ranks};
}

Batch make_batch(const ImageDataset& dataset, const EpochPlan& plan, int64_t first, int64_t last,
                 const Normalization& normalization, const Augmentation& augmentation,
                 uint64_t seed, int64_t epoch) {
  const int64_t n = last - first;
  std::vector<int64_t> indices(plan.order().begin() + first, plan.order().begin() + last);
  const auto index_tensor = torch::from_blob(indices.data(), {n}, torch::kInt64).clone();
  Batch batch;
  batch.labels = dataset.labels.index_select(0, index_tensor);
  auto images = dataset.images.index_select(0, index_tensor).to(torch::kFloat32).div_(255.0);

  if (augmentation.enabled && n > 0) {
    const int64_t height = images.size(2), width = images.size(3), pad = augmentation.padding;
    const auto padded = torch::constant_pad_nd(images, {pad, pad, pad, pad}, 0.0);
    std::vector<torch::Tensor> crops;
    crops.reserve(size_t(n));
    for (int64_t i = 0; i < n; ++i) {
      uint64_t state = mix64(seed ^ mix64((uint64_t(epoch) << 32) ^ uint64_t(first + i)));
      const int64_t dy = int64_t((state = mix64(state)) % uint64_t(2 * pad + 1));
      const int64_t dx = int64_t((state = mix64(state)) % uint64_t(2 * pad + 1));
      auto crop = padded[i].slice(1, dy, dy + height).slice(2, dx, dx + width);
      if (augmentation.flip && (mix64(state) & 1)) crop = crop.flip({2});
      crops.push_back(crop);
    }
    images = torch::stack(crops);
  }
  const int64_t channels = images.size(1);
  const auto mean = torch::tensor(normalization.mean, torch::kFloat32).view({1, channels, 1, 1});
  const auto std = torch::tensor(normalization.std, torch::kFloat32).view({1, channels, 1, 1});
  batch.images = (images - mean) / std;
  return batch;
}

}  // namespace riskstep::vision
