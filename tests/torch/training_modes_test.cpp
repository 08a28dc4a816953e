// A training reruns bit-identically from its seed, and the bf16 path trains (differently from
// fp32, reproducibly). One process, CPU; tests/mpi covers 2 ranks.
#include <gtest/gtest.h>

#include <filesystem>

#include "jobs/train_stepnet/train_stepnet.h"
#include "models/vision/idx_reader.h"

namespace riskstep {
namespace {

TrainSettings tiny(const std::string& precision) {
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
  s.precision = precision;
  return s;
}

bool have_fashion_mnist() {
  return std::filesystem::exists(std::string(vision::kFashionMnistDir) +
                                 "/train-images-idx3-ubyte.gz");
}

TEST(TrainingModes, SameSeedGivesBitIdenticalRuns) {
  if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const TrainingRun a = run_training(tiny("fp32"), 5, nullptr, TrainControl{});
  const TrainingRun b = run_training(tiny("fp32"), 5, nullptr, TrainControl{});
  EXPECT_EQ(a.final_parameters, b.final_parameters);
  EXPECT_EQ(a.result.attributes.at("final_test_loss"), b.result.attributes.at("final_test_loss"));
  const TrainingRun other = run_training(tiny("fp32"), 6, nullptr, TrainControl{});
  EXPECT_NE(a.final_parameters, other.final_parameters);
}

TEST(TrainingModes, Bfloat16TrainsReproduciblyAndDiffersFromFloat32) {
  if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const TrainingRun fp32 = run_training(tiny("fp32"), 5, nullptr, TrainControl{});
  const TrainingRun bf16 = run_training(tiny("bf16"), 5, nullptr, TrainControl{});
  const TrainingRun again = run_training(tiny("bf16"), 5, nullptr, TrainControl{});
  EXPECT_EQ(bf16.final_parameters, again.final_parameters);
  EXPECT_NE(bf16.final_parameters, fp32.final_parameters);
  EXPECT_EQ(std::get<std::string>(bf16.result.attributes.at("precision")), "bf16");
  for (float value : bf16.final_parameters) ASSERT_TRUE(std::isfinite(value));
  const double loss = std::get<double>(bf16.result.attributes.at("final_test_loss"));
  EXPECT_TRUE(std::isfinite(loss));
  // Close to fp32 after three steps: bf16 rounds, it does not change what is learnt.
  EXPECT_NEAR(loss, std::get<double>(fp32.result.attributes.at("final_test_loss")), 0.2);
}

}  // namespace
}  // namespace riskstep
