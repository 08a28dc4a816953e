#pragma once
// Communicator over NCCL for CUDA device buffers; host buffers (metrics, checkpoints) are staged
// through a device scratch buffer so callers can use one Communicator for everything.
// Bootstrap over MPI: rank 0 makes the NCCL unique id and broadcasts its 128 bytes. Each rank
// works on the GPU it was bound to before (pipeline/comm/device_binding.h). One GPU per rank.
// Reductions run on the communicator's own non-blocking stream, after an event recorded on the
// compute stream (where LibTorch computed the gradients; the caller names it, e.g. LibTorch's
// current stream, which a CUDA graph capture replaces), so they overlap later compute.
// Compiled only when RISKSTEP_HAVE_NCCL.
#include <cuda_runtime.h>
#include <mpi.h>
#include <nccl.h>

#include <array>
#include <functional>

#include "pipeline/comm/communicator.h"

namespace riskstep {

// Rank `root` creates an NCCL unique id (no GPU needed) and broadcasts it over `comm`.
ncclUniqueId exchange_nccl_unique_id(MPI_Comm comm, int root);

ncclDataType_t nccl_datatype(ElementType type);

class NcclCommunicator : public Communicator {
 public:
  // Collective over `comm`, on the CUDA device `device` (this rank's bound GPU). Does not own
  // `comm`. `compute_stream` gives the stream gradients are written on at each reduction (empty:
  // the legacy default stream).
  NcclCommunicator(MPI_Comm comm, int device, std::function<cudaStream_t()> compute_stream = {});
  ~NcclCommunicator() override;
  NcclCommunicator(const NcclCommunicator&) = delete;
  NcclCommunicator& operator=(const NcclCommunicator&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void broadcast(void* data, size_t count, ElementType type, int root) override;
  void allreduce_sum(void* data, size_t count, ElementType type) override;
  std::unique_ptr<PendingReduction> allreduce_sum_async(void* data, size_t count,
                                                        ElementType type) override;
  void barrier() override;
  std::string backend() const override { return "nccl"; }

  int device() const { return device_; }

 private:
  // Device pointer for `data`: itself when it is device memory, else the staged scratch copy.
  void* stage_in(void* data, size_t bytes, bool* staged);
  void stage_out(void* data, size_t bytes);

  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  int device_ = -1;
  std::function<cudaStream_t()> compute_stream_;
  ncclComm_t nccl_ = nullptr;
  cudaStream_t stream_ = nullptr;
  void* scratch_ = nullptr;
  size_t scratch_bytes_ = 0;
};

}  // namespace riskstep
