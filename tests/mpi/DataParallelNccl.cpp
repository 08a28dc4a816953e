// The NCCL communicator's logic that needs no GPU: the unique-id exchange over MPI and a clear
// error when there is no GPU (device binding: tests/mpi/DeviceBinding.cpp). Runs on 2 ranks.
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

TEST(DataParallelNccl, DataTypes) {
  EXPECT_EQ(nccl_datatype(ElementType::float32), ncclFloat32);
  EXPECT_EQ(nccl_datatype(ElementType::float64), ncclFloat64);
  EXPECT_EQ(nccl_datatype(ElementType::int64), ncclInt64);
}

TEST(DataParallelNccl, ConstructionWithoutGpuFailsClearly) {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) == cudaSuccess && devices > 0)
    GTEST_SKIP() << "a GPU is present";
  cudaGetLastError();
  try {
    NcclCommunicator communicator(MPI_COMM_WORLD, 0);
    FAIL() << "expected an error without a GPU";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("cudaSetDevice"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace riskstep
#else
TEST(DataParallelNccl, BuiltWithoutNccl) {
  GTEST_SKIP() << "configured without CUDA + NCCL";
}
#endif
