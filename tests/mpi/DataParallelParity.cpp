// k steps of 2-rank training equal 1-rank training on the same global batches (BatchNorm
// frozen, so per-rank batch statistics cannot differ): gradient averaging is right.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <filesystem>

#include "data/vision/idx_reader.h"
#include "jobs/train_stepnet/trainer.h"
#include "pipeline/comm/mpi_communicator.h"
#include "train_fixtures.h"

namespace riskstep {
namespace {

TrainSettings tiny_settings(const std::string& attention) {
  TrainSettings s = testing::tiny_training();
  s.attention = attention;
  s.global_batch = 15;  // odd: the ranks get 7 and 8 images
  s.train_subset = 90;
  s.steps_per_epoch = 4;
  s.freeze_batchnorm = true;
  s.base_lr = 0.5;  // large steps, so a wrong average would show
  return s;
}

double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    worst = std::max(worst, double(std::fabs(a[i] - b[i])));
  return worst;
}

void expect_two_ranks_equal_one_rank(const std::string& attention) {
  RISKSTEP_REQUIRE_FASHION_MNIST();
  const TrainSettings settings = tiny_settings(attention);
  MpiCommunicator world(MPI_COMM_WORLD);
  MpiCommunicator alone(MPI_COMM_SELF);
  const TrainingRun together = run_training(settings, 11, &world, TrainControl{});
  const TrainingRun single = run_training(settings, 11, &alone, TrainControl{});
  EXPECT_EQ(together.steps, 4);
  EXPECT_LT(max_difference(together.final_parameters, single.final_parameters), 1e-5);

  // The parameters moved (a test of nothing would also pass the comparison above).
  TrainSettings untrained = settings;
  untrained.steps_per_epoch = 1;
  untrained.base_lr = 0.0;
  const TrainingRun initial = run_training(untrained, 11, &alone, TrainControl{});
  EXPECT_GT(max_difference(initial.final_parameters, single.final_parameters), 1e-3);
}

TEST(DataParallelParity, TwoRanksEqualOneRankPlainResNet) {
  expect_two_ranks_equal_one_rank("none");
}
TEST(DataParallelParity, TwoRanksEqualOneRankStepNet) {
  expect_two_ranks_equal_one_rank("stepnet");
}

}  // namespace
}  // namespace riskstep
