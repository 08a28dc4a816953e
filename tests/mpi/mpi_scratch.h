#pragma once
// Scratch space for MPI tests: scratch_dir() is per process, so ranks agree on rank 0's.
#include <mpi.h>

#include <string>

#include "test_data.h"

namespace riskstep::testing {

inline std::string shared_scratch_dir(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::string dir = rank == 0 ? scratch_dir() : std::string();
  uint64_t size = dir.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, 0, comm);
  dir.resize(size);
  MPI_Bcast(dir.data(), static_cast<int>(size), MPI_CHAR, 0, comm);
  return dir;
}

}  // namespace riskstep::testing
