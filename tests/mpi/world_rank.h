#pragma once
// This process's rank in MPI_COMM_WORLD, for MPI tests that check or print per rank.
#include <mpi.h>

namespace riskstep::testing {

inline int world_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

}  // namespace riskstep::testing
