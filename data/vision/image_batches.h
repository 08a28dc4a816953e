#pragma once
// Which samples each rank trains on, and how they are augmented. Like PyTorch's
// DistributedSampler, but split per step: every epoch is a fresh permutation drawn from
// (seed, epoch); step k takes the next `global_batch` indices and rank r the r-th contiguous
// slice of them, so every sample is seen exactly once per epoch across ranks. Augmentation
// draws per sample from (seed, epoch, position in the permutation), so the images a step sees do
// not depend on how many ranks share it.
#include <cstdint>
#include <vector>

#include "data/vision/image_dataset.h"

namespace riskstep::vision {

class EpochPlan {
 public:
  EpochPlan(int64_t dataset_size, int64_t global_batch, uint64_t seed, int64_t epoch, bool shuffle);
  int64_t steps() const;
  // Positions (into the epoch's permutation) that rank `rank` of `ranks` handles at `step`.
  std::pair<int64_t, int64_t> rank_positions(int64_t step, int rank, int ranks) const;
  int64_t global_batch_size(int64_t step) const;  // the last step may be short
  const std::vector<int64_t>& order() const { return order_; }

 private:
  int64_t global_batch_;
  std::vector<int64_t> order_;  // sample index at each position
};

struct Augmentation {
  bool enabled = false;
  int padding = 4;   // random crop from the zero-padded image
  bool flip = true;  // horizontal flip with probability 1/2
};

struct Batch {
  torch::Tensor images;  // float32 (n, C, H, W), normalised
  torch::Tensor labels;  // int64 (n)
};

// Samples at positions [first, last) of the plan, augmented and normalised.
Batch make_batch(const ImageDataset& dataset, const EpochPlan& plan, int64_t first, int64_t last,
                 const Normalization& normalization, const Augmentation& augmentation,
                 uint64_t seed, int64_t epoch);

// Deterministic 64-bit mixing (splitmix64), the source of every random choice above.
uint64_t mix64(uint64_t value);

}  // namespace riskstep::vision
