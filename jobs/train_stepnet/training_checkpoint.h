#pragma once
// One training's resumable state in <checkpoint dir>/checkpoint.pt: model, optimiser, the epochs
// done with their history rows, and LibTorch's CPU generator. Written to a temporary name and
// renamed, so the file is always a whole checkpoint.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "models/vision/resnet.h"
#include "pipeline/core/result.h"

namespace riskstep {

// One row per epoch trained (seconds, images/s and comm wait are measurements of that run).
struct TrainingHistory {
  std::vector<int64_t> epoch;
  std::vector<double> train_loss, test_loss, test_accuracy, lr, images_per_second, seconds,
      comm_wait_ms_per_step;
  Table table() const;
};

struct TrainingProgress {
  int next_epoch = 0;
  int64_t steps = 0;
  TrainingHistory history;
};

std::string checkpoint_file(const std::string& dir);  // <dir>/checkpoint.pt

void save_training_checkpoint(const std::string& dir, vision::ResNet& model,
                              torch::optim::SGD& optimizer, const TrainingProgress& progress);

// Loads into `model` and `optimizer` (on `device`). Throws std::runtime_error, one line naming the
// file, when it is truncated or not a riskstep training checkpoint.
TrainingProgress load_training_checkpoint(const std::string& dir, vision::ResNet& model,
                                          torch::optim::SGD& optimizer, torch::Device device);

}  // namespace riskstep
