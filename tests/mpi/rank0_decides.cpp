// Rank 0 decides, every rank learns the outcome (pipeline/comm/rank0_decides.h): the decision
// runs on rank 0 only, and every rank returns or throws alike, with rank 0's message.
#include "pipeline/comm/rank0_decides.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <stdexcept>

#include "world_rank.h"

namespace riskstep {
namespace {

using testing::world_rank;

TEST(rank0_decides, TheDecisionRunsOnRankZeroOnly) {
  int runs = 0;
  decide_on_rank0(MPI_COMM_WORLD, [&] { ++runs; });
  EXPECT_EQ(runs, world_rank() == 0 ? 1 : 0);
}

TEST(rank0_decides, AUserErrorReachesEveryRankAsOne) {
  try {
    decide_on_rank0(MPI_COMM_WORLD, [] { throw std::invalid_argument("out: not ours"); });
    ADD_FAILURE() << "no exception on rank " << world_rank();
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "out: not ours");
  }
}

TEST(rank0_decides, AFailureReachesEveryRankWithItsMessage) {
  struct DiskFull : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  try {
    decide_on_rank0(MPI_COMM_WORLD, [] { throw DiskFull("no space left on device"); });
    ADD_FAILURE() << "no exception on rank " << world_rank();
  } catch (const DiskFull& error) {
    EXPECT_EQ(world_rank(), 0) << "rank 0 rethrows its own exception";
    EXPECT_STREQ(error.what(), "no space left on device");
  } catch (const std::runtime_error& error) {
    EXPECT_NE(world_rank(), 0);
    EXPECT_STREQ(error.what(), "no space left on device");
  }
}

}  // namespace
}  // namespace riskstep
