#pragma once
// Job kind "train_stepnet": one (data-parallel) training of a CIFAR-style ResNet with attention
// none|se|stepnet on Fashion-MNIST or CIFAR, measured by test accuracy, the Neural Stiffness
// Index per stage and block, and the mean attention per block (docs/stepnet.md). Every rank of
// the task's group runs it (trainer.h); settings: train_settings.h; result: stepnet_result.h.
#include "jobs/train_stepnet/trainer.h"
#include "pipeline/core/job.h"

namespace riskstep {

JobKind train_stepnet_kind();

}  // namespace riskstep
