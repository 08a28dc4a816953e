#pragma once
// The communicator a training's gradients travel through, chosen by the setting 'backend': the
// task's MPI group for host tensors, a fresh NCCL communicator over the same ranks for CUDA
// tensors, none for one rank (nothing to reduce: no buckets, and no MPI call from the sweep's
// helper thread that runs single-rank tasks, pipeline/run/farm.h).
#include <torch/torch.h>

#include <memory>

#include "jobs/train_stepnet/train_settings.h"
#include "pipeline/comm/communicator.h"

namespace riskstep {

struct GradientChannel {
  std::unique_ptr<Communicator> owned;   // the NCCL communicator, when one was made
  Communicator* communicator = nullptr;  // null: this rank trains alone
};

// Throws std::invalid_argument (one line) for a backend that cannot reduce on `device`.
GradientChannel open_channel(const TrainSettings& s, torch::Device device, Communicator* group);

}  // namespace riskstep
