#pragma once
// One (data-parallel) training of a CIFAR-style ResNet with attention none|se|stepnet, shaped like
// the PyTorch C++ examples: a Trainer holds model, data and optimiser; train_epoch runs the
// optimiser steps (training_step.h), evaluate the test set; run_training loops over the epochs,
// keeps a checkpoint after each, and measures NSI and attention at the end (docs/stepnet.md).
// Every rank of `group` calls it alike; gradients travel through gradient_channel.h.
#include <functional>
#include <string>
#include <vector>

#include "jobs/train_stepnet/train_settings.h"
#include "pipeline/comm/communicator.h"
#include "pipeline/core/job.h"

namespace riskstep {

struct TrainControl {
  std::string checkpoint_dir;  // "" = no checkpoints; else claimed for this task already
  bool resume = true;          // continue <checkpoint_dir>/checkpoint.pt (false: refuse it)
  std::string device = "cpu";  // the run's device, for settings.device "auto": cpu or cuda:N
  std::string gpu;             // this rank's bound GPU (cuda:N), for settings.device "cuda"
  std::function<void(const std::string&)> log;
};

struct TrainingRun {
  Result result;                        // what the engine stores (history, NSI, attention, ...)
  std::vector<float> final_parameters;  // flattened, identical on every rank
  int64_t steps = 0;                    // optimiser steps taken, over all runs of this training
  bool finished = false;  // false: stopped after an epoch (stop_after_epochs or a stop request)
  int epochs_done = 0;
};

// One training on the ranks of `group` (nullptr = this process alone). `seed` fixes the initial
// weights, data order and augmentation.
TrainingRun run_training(const TrainSettings& settings, uint64_t seed, Communicator* group,
                         const TrainControl& control);

}  // namespace riskstep
