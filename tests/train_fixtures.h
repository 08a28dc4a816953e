#pragma once
// Shared fixtures of the training tests (torch and MPI binaries): the Fashion-MNIST check and a
// tiny training that runs in seconds. Tests change only the settings their claim is about.
#include <filesystem>
#include <string>

#include "jobs/train_stepnet/train_settings.h"
#include "models/vision/idx_reader.h"

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

}  // namespace riskstep::testing

#define RISKSTEP_REQUIRE_FASHION_MNIST()               \
  if (!::riskstep::testing::fashion_mnist_installed()) \
  GTEST_SKIP() << "Debian's dataset-fashion-mnist is not installed"
