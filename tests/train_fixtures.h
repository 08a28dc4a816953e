#pragma once
// Shared fixtures of the training tests (torch and MPI binaries): the Fashion-MNIST check, a
// tiny training that runs in seconds, and a small model with random batches. Tests change only the
// settings their claim is about.
#include <filesystem>
#include <string>

#include "data/vision/idx_reader.h"
#include "data/vision/image_batches.h"
#include "jobs/train_stepnet/train_settings.h"
#include "models/vision/resnet.h"

namespace riskstep::testing {

inline bool fashion_mnist_installed() {
  return std::filesystem::exists(std::string(vision::kFashionMnistDir) +
                                 "/train-images-idx3-ubyte.gz");
}

// ResNet-8 with StepNet attention, one epoch of 3 steps of 16 images from the first 64 training
// images, tested on 32 (NSI on 8), one thread.
inline TrainSettings tiny_training() {
  TrainSettings s;
  s.depth = 8;
  s.attention = "stepnet";
  s.epochs = 1;
  s.global_batch = 16;
  s.train_subset = 64;
  s.test_subset = 32;
  s.nsi_samples = 8;
  s.steps_per_epoch = 3;
  s.threads = 1;
  return s;
}

// ResNet-8 with StepNet attention for 1-channel images, the same weights on every call.
inline vision::ResNet small_stepnet_resnet(torch::Device device) {
  torch::manual_seed(3);
  vision::ResNetConfig config;
  config.depth = 8;
  config.in_channels = 1;
  config.attention = vision::AttentionKind::stepnet;
  vision::ResNet model(config);
  model->to(device);
  return model;
}

// `n` random (side x side) 1-channel images with labels 0..9, the same for the same `step`.
inline vision::Batch random_batch(int step, int64_t n, int64_t side, torch::Device device) {
  torch::manual_seed(50 + step);
  vision::Batch batch;
  batch.images = torch::randn({n, 1, side, side}).to(device);
  batch.labels = torch::randint(0, 10, {n}, torch::kInt64).to(device);
  return batch;
}

}  // namespace riskstep::testing

#define RISKSTEP_REQUIRE_FASHION_MNIST()               \
  if (!::riskstep::testing::fashion_mnist_installed()) \
  GTEST_SKIP() << "Debian's dataset-fashion-mnist is not installed"
