#pragma once
// The "train_stepnet" job: one (data-parallel) training of a CIFAR-style ResNet with
// --attention none|se|stepnet on Fashion-MNIST or CIFAR, measured by test accuracy, the Neural
// Stiffness Index per stage and block, and the mean attention per block (docs/stepnet.md).
// Every rank of the task's group runs it; gradients go through the group's Communicator.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/communicator.h"
#include "pipeline/job.h"

namespace riskstep {

// Every knob, read from the task parameters (names in brackets) with the study's defaults.
struct TrainSettings {
  std::string dataset = "fashion-mnist";  // [dataset] fashion-mnist | cifar10 | cifar100
  std::string data_dir;                   // [data_dir] "" = /usr/share/datasets/fashion-mnist
  int depth = 20;                         // [depth]
  std::string block = "basic";            // [block] basic | bottleneck
  std::string attention = "none";         // [attention] none | se | stepnet
  std::string attention_blocks;   // [attention_blocks] "0,4,8" global block indices; "" = all
  int epochs = 2;                 // [epochs]
  int64_t global_batch = 128;     // [batch]
  double base_lr = 0.1;           // [lr] for a global batch of 128, scaled linearly
  double momentum = 0.9;          // [momentum]
  double weight_decay = 1e-4;     // [weight_decay]
  bool augment = true;            // [augment] random crop (pad 4) + horizontal flip
  int64_t train_subset = 0;       // [train_subset] first N training images; 0 = all
  int64_t test_subset = 0;        // [test_subset]  first N test images; 0 = all
  int64_t steps_per_epoch = 0;    // [steps_per_epoch] cap for shortened epochs; 0 = full
  int64_t nsi_samples = 1000;     // [nsi_samples] test images for NSI and attention
  double bucket_mb = 1.0;         // [bucket_mb] gradient bucket cap
  int threads = 0;                // [threads] intra-op threads per rank; 0 = LibTorch default
  std::string backend = "auto";   // [backend] auto | mpi | nccl
  std::string device = "cpu";     // [device] cpu | cuda
  bool freeze_batchnorm = false;  // [freeze_bn] BN in eval mode while training
  int stop_after_epochs = 0;      // [stop_after_epochs] end early (tests of --resume); 0 = off
};

TrainSettings train_settings_from_task(const Task& task);

struct TrainControl {
  bool resume = true;  // continue from <checkpoint_dir>/checkpoint.pt when it belongs to this run
  std::string checkpoint_dir;  // "" = no checkpoints
  std::function<void(const std::string&)> log;
};

struct TrainingRun {
  Result result;                        // what the engine stores (history, NSI, attention, ...)
  std::vector<float> final_parameters;  // flattened, identical on every rank
  int64_t steps = 0;                    // optimiser steps taken in this process
};

// One training on the ranks of `group` (nullptr = this process alone). `seed` fixes the
// initial weights, data order and augmentation; `run_id` tags checkpoints.
TrainingRun run_training(const TrainSettings& settings, uint64_t seed, const std::string& run_id,
                         Communicator* group, const TrainControl& control);

// The job as the engine sees it; the registry binds it to the kind "train_stepnet".
class TrainStepnetJob : public Job {
 public:
  explicit TrainStepnetJob(bool resume = true) : resume_(resume) {}
  Result run(const Task& task, const TaskContext& context) override;

 private:
  bool resume_;
};

std::unique_ptr<Job> make_train_stepnet_job();

}  // namespace riskstep
