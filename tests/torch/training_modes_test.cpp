// A training reruns bit-identically from its seed, and the bf16 path trains (differently from
// fp32, reproducibly). One process, CPU; tests/mpi covers 2 ranks.
#include <gtest/gtest.h>

#include <filesystem>

#include "data/vision/idx_reader.h"
#include "jobs/train_stepnet/trainer.h"
#include "train_fixtures.h"

namespace riskstep {
namespace {

TrainSettings tiny(const std::string& precision) {
  TrainSettings s = testing::tiny_training();
  s.precision = precision;
  return s;
}

TEST(TrainingModes, SameSeedGivesBitIdenticalRuns) {
  RISKSTEP_REQUIRE_FASHION_MNIST();
  const TrainingRun a = run_training(tiny("fp32"), 5, nullptr, TrainControl{});
  const TrainingRun b = run_training(tiny("fp32"), 5, nullptr, TrainControl{});
  EXPECT_EQ(a.final_parameters, b.final_parameters);
  EXPECT_EQ(a.result.attributes.at("final_test_loss"), b.result.attributes.at("final_test_loss"));
  const TrainingRun other = run_training(tiny("fp32"), 6, nullptr, TrainControl{});
  EXPECT_NE(a.final_parameters, other.final_parameters);
}

TEST(TrainingModes, Bfloat16TrainsReproduciblyAndDiffersFromFloat32) {
  RISKSTEP_REQUIRE_FASHION_MNIST();
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
