// The bucket cap changes how gradients are split into messages, never the result.
#include <gtest/gtest.h>
#include <mpi.h>

#include <filesystem>

#include "jobs/train_stepnet/data_parallel.h"
#include "jobs/train_stepnet/train_stepnet.h"
#include "models/vision/idx_reader.h"
#include "models/vision/resnet.h"
#include "pipeline/comm/mpi_communicator.h"

namespace riskstep {
namespace {

TEST(DataParallelBuckets, ReducerSumsGradientsForAnyCap) {
  MpiCommunicator world(MPI_COMM_WORLD);
  for (size_t cap : {size_t(64), size_t(4096), size_t(1) << 30}) {
    torch::manual_seed(1);
    vision::ResNetConfig config;
    config.depth = 8;
    config.in_channels = 1;
    vision::ResNet model(config);
    GradientReducer reducer(model->parameters(), world, cap);
    if (cap == 64) {
      EXPECT_EQ(reducer.bucket_count(), model->parameters().size());
    }
    if (cap == (size_t(1) << 30)) {
      EXPECT_EQ(reducer.bucket_count(), 1u);
    }
    torch::manual_seed(100 + world.rank());  // each rank its own batch
    const auto x = torch::randn({4, 1, 10, 10});
    model->forward(x).pow(2).mean().backward();
    std::vector<torch::Tensor> local;
    for (const auto& p : model->parameters()) local.push_back(p.grad().clone());
    reducer.synchronize();
    // Reference: a blocking allreduce of each local gradient on its own.
    for (size_t i = 0; i < local.size(); ++i) {
      world.allreduce_sum(local[i].data_ptr(), size_t(local[i].numel()), ElementType::float32);
      EXPECT_TRUE(model->parameters()[i].grad().equal(local[i]))
          << "cap " << cap << " parameter " << i;
    }
  }
}

TEST(DataParallelBuckets, TrainingIsIdenticalForDifferentCaps) {
  if (!std::filesystem::exists(std::string(vision::kFashionMnistDir) +
                               "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  TrainSettings s;
  s.depth = 8;
  s.attention = "se";
  s.epochs = 1;
  s.global_batch = 16;
  s.train_subset = 64;
  s.test_subset = 20;
  s.nsi_samples = 10;
  s.steps_per_epoch = 3;
  s.threads = 1;
  MpiCommunicator world(MPI_COMM_WORLD);
  s.bucket_mb = 0.002;  // ~2 KB: many buckets
  const TrainingRun small = run_training(s, 5, &world, TrainControl{});
  s.bucket_mb = 64;  // one bucket
  const TrainingRun large = run_training(s, 5, &world, TrainControl{});
  EXPECT_EQ(small.final_parameters, large.final_parameters);
}

}  // namespace
}  // namespace riskstep
