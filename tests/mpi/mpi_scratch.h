#pragma once
// Scratch space for MPI tests: scratch_dir() is per process, so ranks agree on rank 0's.
#include <mpi.h>

#include <string>

#include "pipeline/comm/mpi_wait.h"
#include "test_data.h"

namespace riskstep::testing {

inline std::string shared_scratch_dir(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::string dir = rank == 0 ? scratch_dir() : std::string();
  broadcast_text_patiently(dir, 0, comm);
  return dir;
}

}  // namespace riskstep::testing
