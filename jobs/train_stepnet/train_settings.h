#pragma once
// The settings of a train_stepnet task, each declared once in train_settings.cpp (spec keys,
// --set, `riskstep train` options and task ids all come from there). Identity settings change
// what is trained; run settings (threads, bucket_mb, backend, device, stop_after_epochs) only how.
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/core/typed_settings.h"

namespace riskstep {

struct TrainSettings {
  std::string dataset = "fashion-mnist";  // fashion-mnist | cifar10 | cifar100
  std::string data_dir;                   // "" = /usr/share/datasets/fashion-mnist
  int depth = 20;                         // 6n+2 (basic) or 9n+2 (bottleneck)
  std::string block = "basic";            // basic | bottleneck
  std::string attention = "none";         // none | se | stepnet
  std::vector<int> attention_blocks;      // global block indices (0-based); none = all
  int epochs = 2;
  int64_t global_batch = 128;  // over all ranks
  double base_lr = 0.1;        // for a global batch of 128, scaled linearly
  double momentum = 0.9;
  double weight_decay = 1e-4;
  bool augment = true;             // random crop (pad 4) + horizontal flip
  int64_t train_subset = 0;        // first N training images; 0 = all
  int64_t test_subset = 0;         // first N test images; 0 = all
  int64_t steps_per_epoch = 0;     // cap for shortened epochs; 0 = full
  int64_t nsi_samples = 1000;      // test images for NSI and attention
  bool freeze_batchnorm = false;   // BatchNorm in eval mode while training
  int64_t replicate = 0;           // spec key `seed`: tasks differing only here get other seeds
  std::string precision = "fp32";  // fp32 | bf16 (autocast; BatchNorm statistics stay fp32)
  // Run settings.
  double bucket_mb = 1.0;        // gradient bucket cap
  int threads = 0;               // intra-op threads per rank; 0 = LibTorch default
  std::string backend = "auto";  // auto | mpi | nccl (auto: nccl on cuda, else mpi)
  std::string device = "auto";   // auto | cpu | cuda (auto: the run's --device)
  int stop_after_epochs = 0;     // end early, resumable (tests of --resume); 0 = off
  bool deterministic = true;     // GPU: deterministic kernels (bit-identical reruns), or faster
};

const SettingsOf<TrainSettings>& train_settings();

// Throws std::invalid_argument "setting 'x': expected ..." for settings no training can use
// together (each one's own bounds are declared with it in train_settings.cpp).
void check_train_settings(const TrainSettings& settings);

}  // namespace riskstep
