#pragma once
// A group of ranks that can sum and broadcast raw buffers. Data-parallel training averages
// gradients through it; jobs reduce metrics through it. Two implementations: MpiCommunicator
// (host memory, pipeline/mpi_communicator.h) and NcclCommunicator (CUDA device memory, plus host
// memory staged through the device, pipeline/nccl_communicator.h). No LibTorch here on purpose:
// callers pass a pointer, an element count and an element type.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace riskstep {

enum class ElementType { float32, float64, int64 };

size_t element_size(ElementType type);
std::string element_type_name(ElementType type);

// A reduction in flight. wait() returns once the buffer holds the sum (for NCCL: once work
// issued afterwards on the default CUDA stream will see the sum). Destroying a pending reduction
// waits for it, because the buffer must not be reused while the network still writes into it.
class PendingReduction {
 public:
  virtual ~PendingReduction() = default;
  virtual void wait() = 0;
  // Non-blocking check; also drives progress (MPI makes progress on non-blocking collectives
  // only inside MPI calls, so polling while computing is what makes them overlap).
  virtual bool test() { return false; }
};

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual void broadcast(void* data, size_t count, ElementType type, int root) = 0;
  virtual void allreduce_sum(void* data, size_t count, ElementType type) = 0;  // blocking, in place
  virtual std::unique_ptr<PendingReduction> allreduce_sum_async(void* data, size_t count,
                                                                ElementType type) = 0;
  virtual void barrier() = 0;
  virtual std::string backend() const = 0;  // "mpi" | "nccl"
};

}  // namespace riskstep
