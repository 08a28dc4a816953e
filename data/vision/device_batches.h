#pragma once
// Training batches made on the compute device. The image set is uploaded once, zero-padded for
// random crops; an epoch's sample order and per-position crop/flip choices are uploaded once per
// epoch; each step then gathers, crops, flips and normalises its batch in one batched indexing
// operation. The random choices are make_batch's (image_batches.h), so the images are the same,
// bit for bit, as make_batch gives on the CPU, on any device and for any rank count.
#include <torch/torch.h>

#include "data/vision/image_batches.h"

namespace riskstep::vision {

class DeviceImages {
 public:
  DeviceImages(const ImageDataset& dataset, const Normalization& normalization, int padding,
               torch::Device device);

  // The epoch's order (plan) and choices (augmentation, seed, epoch), as make_batch draws them.
  void start_epoch(const EpochPlan& plan, const Augmentation& augmentation, uint64_t seed,
                   int64_t epoch);
  // Positions [first, last) of the epoch's order: images (n, C, H, W) float32, labels (n) int64.
  Batch batch(int64_t first, int64_t last) const;

  int64_t size() const { return labels_.size(0); }
  torch::Device device() const { return padded_.device(); }

 private:
  int padding_;
  int64_t height_, width_;
  torch::Tensor padded_;        // uint8 (N, C, H + 2p, W + 2p) on the device
  torch::Tensor labels_;        // int64 (N) on the device
  torch::Tensor values_;        // float32 (C * 256): channel c's value of byte v at c * 256 + v
  torch::Tensor channel_base_;  // int64 (1, C, 1, 1): c * 256
  torch::Tensor order_, dy_, dx_, flip_;  // per position of the epoch, on the device
};

}  // namespace riskstep::vision
