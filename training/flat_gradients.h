#pragma once
// Every parameter's gradient lives in one flat buffer: each .grad is a view of its own segment,
// so autograd accumulates straight into the buffer, the reducer hands segments of it to the
// communicator without copying in or out, zeroing is one fill, and the addresses stay fixed from
// step to step (what a captured CUDA graph needs). Segments are laid out in reverse registration
// order (the order plan_buckets fills buckets, and roughly the order backward produces them), so
// every bucket is one contiguous range. Each .grad keeps its parameter's strides (channels-last
// weights in bf16 runs), so the optimiser steps parameter and gradient in the same layout.
#include <torch/torch.h>

#include <vector>

namespace riskstep {

class FlatGradients {
 public:
  // All parameters must share one dtype and device and be dense (no gaps between elements).
  explicit FlatGradients(std::vector<torch::Tensor> parameters);

  // Zeroes every gradient. Use this, not Optimizer::zero_grad(): LibTorch 2.x sets .grad to
  // undefined there, which would detach the gradients from the buffer.
  void zero();

  const torch::Tensor& flat() const { return flat_; }
  const std::vector<torch::Tensor>& parameters() const { return parameters_; }
  int64_t offset(size_t parameter) const { return offsets_[parameter]; }  // in elements
  // True when every .grad is still a view of the buffer (nothing replaced one).
  bool attached() const;

 private:
  std::vector<torch::Tensor> parameters_;
  std::vector<int64_t> offsets_;
  torch::Tensor flat_;
};

}  // namespace riskstep
