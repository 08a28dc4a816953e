// The NCCL communicator's logic that needs no GPU: the unique-id exchange over MPI, the
// node-local rank, device choice, and a clear error when there is no GPU. Runs on 2 ranks.
#include <gtest/gtest.h>
#include <mpi.h>

#ifdef RISKSTEP_HAVE_NCCL
#include <cstring>

#include "pipeline/comm/nccl_communicator.h"

namespace riskstep {
namespace {

TEST(DataParallelNccl, UniqueIdIsBroadcastFromRankZero) {
  const ncclUniqueId id = exchange_nccl_unique_id(MPI_COMM_WORLD, 0);
  static_assert(sizeof(ncclUniqueId) == 128, "NCCL ids are 128 bytes");
  ncclUniqueId from_root = id;
  MPI_Bcast(&from_root, sizeof(from_root), MPI_BYTE, 0, MPI_COMM_WORLD);
  EXPECT_EQ(std::memcmp(&id, &from_root, sizeof(id)), 0);
  const ncclUniqueId zero{};
  EXPECT_NE(std::memcmp(&id, &zero, sizeof(id)), 0);  // rank 0 really made one
}

TEST(DataParallelNccl, NodeLocalRankOnOneNode) {
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const NodeLocalRank local = node_local_rank(MPI_COMM_WORLD);
  EXPECT_EQ(local.size, size);  // mpirun here starts every rank on this machine
  EXPECT_EQ(local.rank, rank);
}

TEST(DataParallelNccl, DeviceChoiceNeedsOneGpuPerRank) {
  EXPECT_EQ(choose_cuda_device({1, 2}, 2), 1);
  EXPECT_EQ(choose_cuda_device({3, 4}, 8), 3);
  try {
    choose_cuda_device({1, 2}, 1);
    FAIL();
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(),
                 "--backend nccl needs one GPU per rank: 2 ranks on this node but 1 GPU(s)");
  }
  EXPECT_THROW(choose_cuda_device({0, 1}, 0), std::runtime_error);
  EXPECT_EQ(nccl_datatype(ElementType::float32), ncclFloat32);
  EXPECT_EQ(nccl_datatype(ElementType::int64), ncclInt64);
}

TEST(DataParallelNccl, ConstructionWithoutGpuFailsClearly) {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) == cudaSuccess && devices > 0)
    GTEST_SKIP() << "a GPU is present";
  cudaGetLastError();
  try {
    NcclCommunicator communicator(MPI_COMM_WORLD);
    FAIL() << "expected an error without a GPU";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("--backend nccl needs a CUDA GPU on every rank"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace riskstep
#else
TEST(DataParallelNccl, BuiltWithoutNccl) {
  GTEST_SKIP() << "configured without CUDA + NCCL";
}
#endif
