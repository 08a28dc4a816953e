#pragma once
// Communicator over an MPI communicator, for buffers in host memory. Sums use MPI_Allreduce with
// MPI_IN_PLACE; the asynchronous form is MPI_Iallreduce, completed by PendingReduction::wait().
#include <mpi.h>

#include "pipeline/comm/communicator.h"

namespace riskstep {

class MpiCommunicator : public Communicator {
 public:
  // Does not take ownership: the caller keeps `comm` alive and frees it.
  explicit MpiCommunicator(MPI_Comm comm);

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void broadcast(void* data, size_t count, ElementType type, int root) override;
  void allreduce_sum(void* data, size_t count, ElementType type) override;
  std::unique_ptr<PendingReduction> allreduce_sum_async(void* data, size_t count,
                                                        ElementType type) override;
  void barrier() override;
  std::string backend() const override { return "mpi"; }

  MPI_Comm comm() const { return comm_; }  // e.g. to bootstrap an NCCL communicator

 private:
  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
};

MPI_Datatype mpi_datatype(ElementType type);

}  // namespace riskstep
