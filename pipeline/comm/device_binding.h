#pragma once
// Binding each rank to its GPU, the first thing a GPU run does (before any CUDA allocation, as
// karpathy/llm.c's zero.cuh does): rank r of a node takes the node's r-th visible GPU. The node
// is found with MPI_Comm_split_type(MPI_COMM_TYPE_SHARED); "visible" honours CUDA_VISIBLE_DEVICES
// (the CUDA runtime applies it to its device count and numbering). One rank per GPU: NCCL refuses
// two ranks on one GPU. Under per-task GPU isolation (`srun --gpus-per-task=1`, or a launcher
// that sets CUDA_VISIBLE_DEVICES per rank) each rank sees one GPU, its own: that is accepted when
// the node's ranks see different ones (PCI bus ids).
#include <mpi.h>

#include <functional>
#include <string>

namespace riskstep {

// Rank within the node (ranks sharing memory with this one), and how many share the node.
struct NodeLocalRank {
  int rank = 0;
  int size = 1;
};
NodeLocalRank node_local_rank(MPI_Comm comm);

// The GPU of a node-local rank; throws std::invalid_argument when there is no usable GPU or
// fewer GPUs than ranks on the node, unless `one_gpu_each` (every rank of the node sees one GPU
// and no two the same), when it is device 0.
int choose_cuda_device(const NodeLocalRank& local, int device_count, bool one_gpu_each = false);

// What binding needs from CUDA. The CUDA runtime's by default; tests give fakes, so the binding
// and its order are tested without a GPU.
struct CudaDevices {
  std::function<int(std::string& why_none)> count;  // visible GPUs; 0 with a reason when none
  std::function<void(int device)> make_current;     // cudaSetDevice
  std::function<std::string(int device)> bus_id;    // cudaDeviceGetPCIBusId, e.g. 0000:3b:00.0
};
CudaDevices cuda_runtime_devices();  // without a CUDA runtime in this build: always none

// Collective over `comm`: makes this rank's GPU current and returns "cuda:N". When some rank has
// no usable GPU every rank throws std::invalid_argument (else the others would wait for it in
// NCCL's setup for ever).
std::string bind_node_local_gpu(MPI_Comm comm, const CudaDevices& devices = cuda_runtime_devices());

}  // namespace riskstep
