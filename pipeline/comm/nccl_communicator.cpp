#include "pipeline/comm/nccl_communicator.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace riskstep {

namespace {

void check_cuda(cudaError_t code, const char* call) {
  if (code != cudaSuccess)
    throw std::runtime_error(std::string(call) + ": " + cudaGetErrorString(code));
}

void check_nccl(ncclResult_t code, const char* call) {
  if (code != ncclSuccess)
    throw std::runtime_error(std::string(call) + ": " + ncclGetErrorString(code));
}

void check_mpi(int code, const char* call) {
  if (code != MPI_SUCCESS) throw std::runtime_error(std::string(call) + " failed");
}

bool is_device_pointer(const void* data) {
  cudaPointerAttributes attributes{};
  if (cudaPointerGetAttributes(&attributes, data) != cudaSuccess) {
    cudaGetLastError();  // plain host memory may report an error on old runtimes; clear it
    return false;
  }
  return attributes.type == cudaMemoryTypeDevice || attributes.type == cudaMemoryTypeManaged;
}

// Completion is an event on the communicator's stream; wait() makes the compute stream (where
// the optimiser runs) wait for it without blocking the host.
class NcclPendingReduction : public PendingReduction {
 public:
  NcclPendingReduction(cudaEvent_t done, cudaStream_t compute) : done_(done), compute_(compute) {}
  ~NcclPendingReduction() override {
    if (done_ != nullptr) {
      cudaStreamWaitEvent(compute_, done_, 0);
      cudaEventDestroy(done_);
    }
  }
  void wait() override {
    if (done_ == nullptr) return;
    check_cuda(cudaStreamWaitEvent(compute_, done_, 0), "cudaStreamWaitEvent");
    check_cuda(cudaEventDestroy(done_), "cudaEventDestroy");
    done_ = nullptr;
  }
  bool test() override { return done_ == nullptr || cudaEventQuery(done_) == cudaSuccess; }

 private:
  cudaEvent_t done_;
  cudaStream_t compute_;
};

}  // namespace

ncclDataType_t nccl_datatype(ElementType type) {
  switch (type) {
    case ElementType::float32:
      return ncclFloat32;
    case ElementType::float64:
      return ncclFloat64;
    case ElementType::int64:
      return ncclInt64;
  }
  throw std::invalid_argument("nccl_datatype: unknown ElementType");
}

ncclUniqueId exchange_nccl_unique_id(MPI_Comm comm, int root) {
  int rank = 0;
  check_mpi(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank");
  ncclUniqueId id;
  std::memset(&id, 0, sizeof(id));
  if (rank == root) check_nccl(ncclGetUniqueId(&id), "ncclGetUniqueId");
  check_mpi(MPI_Bcast(&id, sizeof(id), MPI_BYTE, root, comm), "MPI_Bcast(ncclUniqueId)");
  return id;
}

NcclCommunicator::NcclCommunicator(MPI_Comm comm, int device,
                                   std::function<cudaStream_t()> compute_stream)
    : comm_(comm), device_(device), compute_stream_(std::move(compute_stream)) {
  check_mpi(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
  check_mpi(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
  check_cuda(cudaSetDevice(device_), "cudaSetDevice");  // this thread may not be the binder
  const ncclUniqueId id = exchange_nccl_unique_id(comm_, 0);
  check_nccl(ncclCommInitRank(&nccl_, size_, id, rank_), "ncclCommInitRank");
  check_cuda(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking),
             "cudaStreamCreateWithFlags");
}

NcclCommunicator::~NcclCommunicator() {
  if (stream_ != nullptr) cudaStreamSynchronize(stream_);
  if (nccl_ != nullptr) ncclCommDestroy(nccl_);
  if (stream_ != nullptr) cudaStreamDestroy(stream_);
  if (scratch_ != nullptr) cudaFree(scratch_);
}

void* NcclCommunicator::stage_in(void* data, size_t bytes, bool* staged) {
  *staged = !is_device_pointer(data);
  if (!*staged) return data;
  if (bytes > scratch_bytes_) {
    if (scratch_ != nullptr) check_cuda(cudaFree(scratch_), "cudaFree");
    check_cuda(cudaMalloc(&scratch_, bytes), "cudaMalloc");
    scratch_bytes_ = bytes;
  }
  check_cuda(cudaMemcpyAsync(scratch_, data, bytes, cudaMemcpyHostToDevice, stream_),
             "cudaMemcpyAsync");
  return scratch_;
}

void NcclCommunicator::stage_out(void* data, size_t bytes) {
  check_cuda(cudaMemcpyAsync(data, scratch_, bytes, cudaMemcpyDeviceToHost, stream_),
             "cudaMemcpyAsync");
}

// Blocking forms: order after all work on the default stream, then wait for the result on the host.
void NcclCommunicator::broadcast(void* data, size_t count, ElementType type, int root) {
  const size_t bytes = count * element_size(type);
  check_cuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
  bool staged = false;
  void* device_data = stage_in(data, bytes, &staged);
  check_nccl(
      ncclBroadcast(device_data, device_data, count, nccl_datatype(type), root, nccl_, stream_),
      "ncclBroadcast");
  if (staged) stage_out(data, bytes);
  check_cuda(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
}

void NcclCommunicator::allreduce_sum(void* data, size_t count, ElementType type) {
  const size_t bytes = count * element_size(type);
  check_cuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
  bool staged = false;
  void* device_data = stage_in(data, bytes, &staged);
  check_nccl(
      ncclAllReduce(device_data, device_data, count, nccl_datatype(type), ncclSum, nccl_, stream_),
      "ncclAllReduce");
  if (staged) stage_out(data, bytes);
  check_cuda(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
}

std::unique_ptr<PendingReduction> NcclCommunicator::allreduce_sum_async(void* data, size_t count,
                                                                        ElementType type) {
  if (!is_device_pointer(data)) {
    allreduce_sum(data, count, type);  // host buffers: nothing to overlap with
    return std::make_unique<NcclPendingReduction>(nullptr, nullptr);
  }
  // This thread may not be the one that bound the device (autograd hooks run on LibTorch's).
  check_cuda(cudaSetDevice(device_), "cudaSetDevice");
  // The gradients in `data` were written by kernels on the compute stream: start after them.
  const cudaStream_t compute = compute_stream_ ? compute_stream_() : nullptr;
  cudaEvent_t ready = nullptr;
  check_cuda(cudaEventCreateWithFlags(&ready, cudaEventDisableTiming), "cudaEventCreateWithFlags");
  check_cuda(cudaEventRecord(ready, compute), "cudaEventRecord");
  check_cuda(cudaStreamWaitEvent(stream_, ready, 0), "cudaStreamWaitEvent");
  check_cuda(cudaEventDestroy(ready), "cudaEventDestroy");
  check_nccl(ncclAllReduce(data, data, count, nccl_datatype(type), ncclSum, nccl_, stream_),
             "ncclAllReduce");
  cudaEvent_t done = nullptr;
  check_cuda(cudaEventCreateWithFlags(&done, cudaEventDisableTiming), "cudaEventCreateWithFlags");
  check_cuda(cudaEventRecord(done, stream_), "cudaEventRecord");
  return std::make_unique<NcclPendingReduction>(done, compute);
}

void NcclCommunicator::barrier() {
  check_cuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
  check_mpi(MPI_Barrier(comm_), "MPI_Barrier");
}

}  // namespace riskstep
