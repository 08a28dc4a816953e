// Binding each rank to the GPU of its node-local rank, before any task runs, tested without a GPU
// through fake CUDA device counts (pipeline/comm/device_binding.h, pipeline/run/device_plan.h). 2
// ranks.
#include <gtest/gtest.h>
#include <mpi.h>

#include <fstream>
#include <sstream>

#include "kinds/echo/echo_job.h"
#include "mpi_scratch.h"
#include "pipeline/comm/device_binding.h"
#include "pipeline/run/sweep.h"
#include "pipeline/store/result_store.h"
#include "world_rank.h"

namespace riskstep {
namespace {

using testing::world_rank;

// `visible` GPUs on every rank (or `per_rank(rank)`); records what was made current.
struct FakeGpus {
  std::vector<int> made_current;
  CudaDevices devices(std::function<int(int)> per_rank) {
    CudaDevices d;
    d.count = [per_rank](std::string& why) {
      const int n = per_rank(world_rank());
      if (n == 0) why = "fake: none";
      return n;
    };
    d.make_current = [this](int device) { made_current.push_back(device); };
    return d;
  }
};

TEST(DeviceBinding, NodeLocalRankPicksTheGpu) {
  const NodeLocalRank local = node_local_rank(MPI_COMM_WORLD);
  EXPECT_EQ(local.rank, world_rank());  // mpirun here starts both ranks on this machine
  EXPECT_EQ(local.size, 2);
  EXPECT_EQ(choose_cuda_device({1, 2}, 2), 1);
  EXPECT_EQ(choose_cuda_device({3, 4}, 8), 3);
  EXPECT_THROW(choose_cuda_device({0, 1}, 0), std::invalid_argument);
  FakeGpus gpus;
  EXPECT_EQ(bind_node_local_gpu(MPI_COMM_WORLD, gpus.devices([](int) { return 4; })),
            "cuda:" + std::to_string(world_rank()));
  EXPECT_EQ(gpus.made_current, std::vector<int>{world_rank()});
}

TEST(DeviceBinding, TooFewGpusFailOnEveryRankAlike) {
  FakeGpus one, uneven;
  try {
    bind_node_local_gpu(MPI_COMM_WORLD, one.devices([](int) { return 1; }));
    ADD_FAILURE() << "two ranks on one GPU were accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("one GPU per rank, but 2 ranks on this node see 1"),
              std::string::npos)
        << error.what();
  }
  // Rank 1 sees none: rank 0 must not go on alone (it would wait in NCCL's setup for ever).
  EXPECT_THROW(bind_node_local_gpu(MPI_COMM_WORLD,
                                   uneven.devices([](int rank) { return rank == 1 ? 0 : 2; })),
               std::invalid_argument);
  EXPECT_TRUE(one.made_current.empty());
  EXPECT_TRUE(uneven.made_current.empty());
}

// srun --gpus-per-task=1: each rank sees one GPU, its own (bus ids differ): device 0 on each.
// The same GPU seen by both ranks is still two ranks on one GPU.
TEST(DeviceBinding, OneGpuPerRankUnderIsolationIsAccepted) {
  FakeGpus isolated, shared;
  CudaDevices own = isolated.devices([](int) { return 1; });
  own.bus_id = [](int) { return "0000:0" + std::to_string(world_rank()) + ":00.0"; };
  EXPECT_EQ(bind_node_local_gpu(MPI_COMM_WORLD, own), "cuda:0");
  EXPECT_EQ(isolated.made_current, std::vector<int>{0});
  CudaDevices same = shared.devices([](int) { return 1; });
  same.bus_id = [](int) { return std::string("0000:3b:00.0"); };
  EXPECT_THROW(bind_node_local_gpu(MPI_COMM_WORLD, same), std::invalid_argument);
  EXPECT_TRUE(shared.made_current.empty());
}

struct Swept {
  int status = -1;
  std::string out, err;
};

Swept sweep_echo(const std::string& dir, const std::string& device,
                 std::vector<std::string> overrides, const CudaDevices& cuda) {
  const std::string spec = dir + "/echo.toml";
  if (world_rank() == 0)
    std::ofstream(spec) << "kind = \"echo\"\n[fixed]\nwork_ms = 50\n[grid]\ni = \"0-5\"\n";
  MPI_Barrier(MPI_COMM_WORLD);
  SweepOptions options;
  options.spec_path = spec;
  options.out_dir = dir + "/out-" + device + std::to_string(overrides.size());
  options.overrides = std::move(overrides);
  options.device = device;
  options.cuda = cuda;
  options.progress = "never";
  std::ostringstream out, err;
  Swept swept;
  swept.status = run_sweep(MPI_COMM_WORLD, options, echo_registry(), out, err);
  swept.out = out.str();
  swept.err = err.str();
  if (swept.status == 0 && world_rank() == 0) {
    for (const auto& record : read_results_file(options.out_dir + "/results.h5"))
      swept.out += "\n" + std::to_string(record.rank) + " " +
                   std::get<std::string>(record.result.attributes.at("device"));
  }
  return swept;
}

TEST(DeviceBinding, EveryTaskRunsOnTheGpuItsRankBoundFirst) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  FakeGpus gpus;
  const Swept swept = sweep_echo(dir, "cuda", {}, gpus.devices([](int) { return 2; }));
  ASSERT_EQ(swept.status, 0) << swept.err;
  EXPECT_EQ(gpus.made_current, std::vector<int>{world_rank()});  // once, before the tasks
  if (world_rank() == 0) {  // each task's device is its rank's GPU
    EXPECT_NE(swept.out.find("\n0 cuda:0"), std::string::npos) << swept.out;
    EXPECT_NE(swept.out.find("\n1 cuda:1"), std::string::npos) << swept.out;
    EXPECT_EQ(swept.out.find("cpu"), std::string::npos) << swept.out;
  }
  // A CPU run binds nothing; a task that asks for cuda itself still gets its rank's GPU.
  FakeGpus untouched, asked;
  ASSERT_EQ(sweep_echo(dir, "cpu", {}, untouched.devices([](int) { return 2; })).status, 0);
  EXPECT_TRUE(untouched.made_current.empty());
  const Swept own = sweep_echo(dir, "cpu", {"device=cuda"}, asked.devices([](int) { return 2; }));
  ASSERT_EQ(own.status, 0) << own.err;
  EXPECT_EQ(asked.made_current, std::vector<int>{world_rank()});
}

TEST(DeviceBinding, NoGpuIsBadInputBeforeAnyTask) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  FakeGpus none;
  const Swept swept = sweep_echo(dir, "cuda", {}, none.devices([](int) { return 0; }));
  EXPECT_EQ(swept.status, 2);
  if (world_rank() == 0) {
    EXPECT_NE(swept.err.find("device cuda: no CUDA GPU is visible (fake: none)"), std::string::npos)
        << swept.err;
  }
  // The real runtime on this machine (no GPU, or a build without CUDA) says so too.
  EXPECT_EQ(sweep_echo(dir, "cuda", {"work_ms=1"}, cuda_runtime_devices()).status, 2);
}

}  // namespace
}  // namespace riskstep
