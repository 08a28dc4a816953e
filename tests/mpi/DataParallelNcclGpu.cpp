// On a GPU, one training step (jobs/train_stepnet/training_step.h) queues work and never waits
// for the device: CUDA's sync debug mode set to "error" turns any host synchronisation inside
// the step into an exception. Checked alone and with the gradients reduced over NCCL, in fp32 and
// bf16; what a CUDA-graph capture of the step needs. Skipped without a GPU; the GPU kit
// (../shared/gpu) runs the DataParallelNccl* suites on its H200.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <memory>

#include "jobs/train_stepnet/training_step.h"
#include "train_fixtures.h"
#include "training/multi_tensor_sgd.h"
#ifdef RISKSTEP_TORCH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAStream.h>
#endif
#ifdef RISKSTEP_HAVE_NCCL
#include "pipeline/comm/nccl_communicator.h"
#endif

namespace riskstep {
namespace {

#ifdef RISKSTEP_TORCH_CUDA
// Any host synchronisation throws while this is alive.
struct NoHostSync {
  NoHostSync() {
    c10::cuda::warning_state().set_sync_debug_mode(c10::cuda::SyncDebugMode::L_ERROR);
  }
  ~NoHostSync() {
    c10::cuda::warning_state().set_sync_debug_mode(c10::cuda::SyncDebugMode::L_DISABLED);
  }
};

vision::Batch random_batch(int step, torch::Device device) {
  return testing::random_batch(step, 32, 28, device);
}

// Two warm-up steps (the optimiser's state is made on the first), then one under NoHostSync.
void expect_step_without_host_sync(Communicator* communicator, const std::string& precision,
                                   torch::Device cuda) {
  vision::ResNet model = testing::small_stepnet_resnet(cuda);
  FlatGradients gradients(model->parameters());
  std::unique_ptr<GradientReducer> reducer;
  if (communicator != nullptr)
    reducer = std::make_unique<GradientReducer>(gradients, *communicator, 64 * 1024);
  MultiTensorSgd optimizer(model->parameters(),
                           torch::optim::SGDOptions(0.05).momentum(0.9).weight_decay(1e-4));
  StepParts parts{model, optimizer, gradients, reducer.get(), precision};
  auto loss_total = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(cuda));
  for (int step = 0; step < 2; ++step)
    train_step(parts, random_batch(step, cuda), 64.0, loss_total);
  const vision::Batch batch = random_batch(2, cuda);
  {
    const NoHostSync strict;
    EXPECT_NO_THROW(train_step(parts, batch, 64.0, loss_total)) << precision;
  }
  EXPECT_TRUE(std::isfinite(loss_total.item<double>())) << precision;
  EXPECT_TRUE(gradients.attached()) << precision;
}
#endif

TEST(DataParallelNcclGpu, TrainStepNeverWaitsForTheDevice) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
#ifdef RISKSTEP_TORCH_CUDA
  for (const std::string precision : {"fp32", "bf16"})
    expect_step_without_host_sync(nullptr, precision, torch::Device("cuda:0"));
#else
  GTEST_SKIP() << "riskstep was configured against a LibTorch without c10_cuda";
#endif
}

TEST(DataParallelNcclGpu, TrainStepWithNcclReductionNeverWaitsForTheDevice) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
#if defined(RISKSTEP_TORCH_CUDA) && defined(RISKSTEP_HAVE_NCCL)
  int devices = 0;
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  cudaGetDeviceCount(&devices);
  if (size > devices) GTEST_SKIP() << size << " ranks, " << devices << " GPU(s): one GPU per rank";
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  NcclCommunicator nccl(MPI_COMM_WORLD, rank,
                        [] { return c10::cuda::getCurrentCUDAStream().stream(); });
  const c10::DeviceGuard on_device(torch::Device(torch::kCUDA, rank));
  for (const std::string precision : {"fp32", "bf16"})
    expect_step_without_host_sync(&nccl, precision, torch::Device(torch::kCUDA, rank));
#else
  GTEST_SKIP() << "riskstep was configured without CUDA LibTorch and NCCL";
#endif
}

}  // namespace
}  // namespace riskstep
