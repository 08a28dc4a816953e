#include "jobs/train_stepnet/gradient_channel.h"

#include <mpi.h>

#include <functional>
#include <stdexcept>

#include "pipeline/comm/mpi_communicator.h"
#ifdef RISKSTEP_HAVE_NCCL
#include "pipeline/comm/nccl_communicator.h"
#endif
#ifdef RISKSTEP_TORCH_CUDA
#include <c10/cuda/CUDAStream.h>
#endif

namespace riskstep {

GradientChannel open_channel(const TrainSettings& s, torch::Device device, Communicator* group) {
  const bool on_cuda = device.is_cuda();
  const std::string backend = s.backend == "auto" ? (on_cuda ? "nccl" : "mpi") : s.backend;
  if (backend == "nccl" && !on_cuda)
    throw std::invalid_argument(
        "setting 'backend': nccl reduces CUDA tensors; use --device cuda or --backend mpi");
  if (backend == "mpi" && on_cuda)
    throw std::invalid_argument(
        "setting 'backend': mpi reduces host memory; use --backend nccl with --device cuda");
  if (group == nullptr || group->size() == 1) return {};
  GradientChannel channel;
  if (backend == "mpi") {
    channel.communicator = group;
    return channel;
  }
  auto* mpi_group = dynamic_cast<MpiCommunicator*>(group);
  if (mpi_group == nullptr)
    throw std::invalid_argument("backend: nccl needs an MPI group to bootstrap");
  const MPI_Comm comm = mpi_group->comm();
#ifdef RISKSTEP_HAVE_NCCL
  std::function<cudaStream_t()> compute_stream;  // without LibTorch CUDA: the legacy stream
#ifdef RISKSTEP_TORCH_CUDA
  compute_stream = [] { return c10::cuda::getCurrentCUDAStream().stream(); };
#endif
  channel.owned = std::make_unique<NcclCommunicator>(comm, device.index(), compute_stream);
  channel.communicator = channel.owned.get();
  return channel;
#else
  (void)comm;
  throw std::runtime_error(
      "backend: this riskstep was built without NCCL (CUDA + NCCL not found at configure time)");
#endif
}

}  // namespace riskstep
