#pragma once
// One optimiser step, shaped so that a CUDA graph can capture it: for batches of one size every
// tensor it touches has the same shape and address each step (gradients in FlatGradients, the
// loss total a device scalar, the optimiser's state made on the first step), and nothing in it
// reads a device value back to the host (no .item(), no shape computed from data), so the host
// only queues work. The learning rate is a host number in the optimiser's kernels: a captured
// step is valid until the next set_learning_rate. On the CPU the same code simply runs.
#include <torch/torch.h>

#include <string>

#include "data/vision/image_batches.h"
#include "models/vision/resnet.h"
#include "training/data_parallel.h"
#include "training/flat_gradients.h"

namespace riskstep {

struct StepParts {
  vision::ResNet& model;
  torch::optim::Optimizer& optimizer;
  FlatGradients& gradients;
  GradientReducer* reducer = nullptr;  // null when one rank trains alone
  std::string precision = "fp32";      // compute_mode.h
};

// Trains on this rank's share `batch` (empty or default-constructed when it has none) of a global
// batch of `global_images` images: the loss is normalised by the global count, so the sum over
// ranks of the gradients is the global mean gradient. Adds the share's loss sum to `loss_total`
// (float64, on the device).
void train_step(StepParts& parts, const vision::Batch& batch, double global_images,
                torch::Tensor& loss_total);

}  // namespace riskstep
