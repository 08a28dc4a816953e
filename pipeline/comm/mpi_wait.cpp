#include "pipeline/comm/mpi_wait.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace riskstep {

void wait_patiently(MPI_Request& request) {
  auto pause = std::chrono::microseconds(100);
  while (true) {
    int done = 0;
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) return;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(5000));
  }
}

void broadcast_patiently(void* data, int count, MPI_Datatype type, int root, MPI_Comm comm) {
  MPI_Request request;
  MPI_Ibcast(data, count, type, root, comm, &request);
  wait_patiently(request);
}

void barrier_patiently(MPI_Comm comm) {
  MPI_Request request;
  MPI_Ibarrier(comm, &request);
  wait_patiently(request);
}

}  // namespace riskstep
