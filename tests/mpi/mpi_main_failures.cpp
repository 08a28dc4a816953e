// A failure on a rank other than 0 must reach the test log (tests/mpi_main.cpp). The test is
// disabled in the normal run; ctest's mpi.failures_printed runs it on purpose and passes when the
// output names rank 1 and the failure's message.
#include <gtest/gtest.h>
#include <mpi.h>

namespace {

TEST(mpi_main_failures, DISABLED_FailsOnRankOne) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  EXPECT_NE(rank, 1) << "deliberate failure on rank 1";
}

}  // namespace
