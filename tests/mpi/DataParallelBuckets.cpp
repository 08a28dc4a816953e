// The bucket cap changes how gradients are split into messages, never the result; the
// reduction happens in the flat gradient buffer itself.
#include <gtest/gtest.h>
#include <mpi.h>

#include <filesystem>

#include "data/vision/idx_reader.h"
#include "jobs/train_stepnet/trainer.h"
#include "models/vision/resnet.h"
#include "pipeline/comm/mpi_communicator.h"
#include "train_fixtures.h"
#include "training/data_parallel.h"

namespace riskstep {
namespace {

TEST(DataParallelBuckets, ReducerSumsGradientsForAnyCap) {
  MpiCommunicator world(MPI_COMM_WORLD);
  auto resnet = [] {
    torch::manual_seed(1);
    vision::ResNetConfig config;
    config.depth = 8;
    config.in_channels = 1;
    return vision::ResNet(config);
  };
  for (size_t cap : {size_t(64), size_t(4096), size_t(1) << 30}) {
    vision::ResNet model = resnet(), reference = resnet();
    FlatGradients gradients(model->parameters());
    GradientReducer reducer(gradients, world, cap);
    if (cap == 64) {
      EXPECT_EQ(reducer.bucket_count(), model->parameters().size());
    }
    if (cap == (size_t(1) << 30)) {
      EXPECT_EQ(reducer.bucket_count(), 1u);
    }
    torch::manual_seed(100 + world.rank());  // each rank its own batch
    const auto x = torch::randn({4, 1, 10, 10});
    model->forward(x).pow(2).mean().backward();
    reference->forward(x).pow(2).mean().backward();
    reducer.synchronize();
    // Reference: a blocking allreduce of each local gradient on its own (the reduced model's
    // .grad cannot serve: it is reduced in place while backward still runs).
    const auto reduced = model->parameters(), local = reference->parameters();
    for (size_t i = 0; i < local.size(); ++i) {
      torch::Tensor sum = local[i].grad().clone();
      world.allreduce_sum(sum.data_ptr(), size_t(sum.numel()), ElementType::float32);
      EXPECT_TRUE(reduced[i].grad().equal(sum)) << "cap " << cap << " parameter " << i;
    }
    EXPECT_TRUE(gradients.attached()) << "reduced in place, no gradient copied out";
  }
}

TEST(DataParallelBuckets, TrainingIsIdenticalForDifferentCaps) {
  RISKSTEP_REQUIRE_FASHION_MNIST();
  TrainSettings s = testing::tiny_training();
  s.attention = "se";
  MpiCommunicator world(MPI_COMM_WORLD);
  s.bucket_mb = 0.002;  // ~2 KB: many buckets
  const TrainingRun small = run_training(s, 5, &world, TrainControl{});
  s.bucket_mb = 64;  // one bucket
  const TrainingRun large = run_training(s, 5, &world, TrainControl{});
  EXPECT_EQ(small.final_parameters, large.final_parameters);
}

}  // namespace
}  // namespace riskstep
