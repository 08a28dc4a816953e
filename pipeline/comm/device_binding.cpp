#include "pipeline/comm/device_binding.h"

#include <set>
#include <stdexcept>
#include <vector>

#ifdef RISKSTEP_HAVE_NCCL  // the CUDA runtime comes with the NCCL build
#include <cuda_runtime.h>
#endif

namespace riskstep {

NodeLocalRank node_local_rank(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm node = MPI_COMM_NULL;
  if (MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node) != MPI_SUCCESS)
    throw std::runtime_error("MPI_Comm_split_type(MPI_COMM_TYPE_SHARED) failed");
  NodeLocalRank local;
  MPI_Comm_rank(node, &local.rank);
  MPI_Comm_size(node, &local.size);
  MPI_Comm_free(&node);
  return local;
}

int choose_cuda_device(const NodeLocalRank& local, int device_count, bool one_gpu_each) {
  if (device_count <= 0) throw std::invalid_argument("device cuda: no CUDA GPU is visible");
  if (one_gpu_each) return 0;
  if (local.size > device_count)
    throw std::invalid_argument("device cuda: one GPU per rank, but " + std::to_string(local.size) +
                                " ranks on this node see " + std::to_string(device_count) +
                                " GPU(s) (CUDA_VISIBLE_DEVICES applies)");
  return local.rank;
}

CudaDevices cuda_runtime_devices() {
  CudaDevices devices;
#ifdef RISKSTEP_HAVE_NCCL
  devices.count = [](std::string& why_none) {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status == cudaSuccess) return count;
    why_none = cudaGetErrorString(status);
    cudaGetLastError();
    return 0;
  };
  devices.make_current = [](int device) {
    const cudaError_t status = cudaSetDevice(device);
    if (status != cudaSuccess)
      throw std::runtime_error("cudaSetDevice(" + std::to_string(device) +
                               "): " + cudaGetErrorString(status));
  };
  devices.bus_id = [](int device) {
    char id[32] = {};
    if (cudaDeviceGetPCIBusId(id, int(sizeof(id)), device) != cudaSuccess) {
      cudaGetLastError();
      return std::string();
    }
    return std::string(id);
  };
#else
  devices.count = [](std::string& why_none) {
    why_none = "this riskstep was built without the CUDA runtime";
    return 0;
  };
  devices.make_current = [](int) {};
  devices.bus_id = [](int) { return std::string(); };
#endif
  return devices;
}

namespace {

// True when every rank of this one's node sees exactly one GPU and no two ranks the same one.
bool node_sees_one_gpu_each(MPI_Comm comm, int count, const CudaDevices& devices) {
  constexpr int kIdBytes = 32;
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm node = MPI_COMM_NULL;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
  int size = 1;
  MPI_Comm_size(node, &size);
  std::string mine = count == 1 && devices.bus_id ? devices.bus_id(0) : "";
  mine.resize(kIdBytes - 1, '\0');
  std::vector<char> all(size_t(kIdBytes) * size_t(size));
  MPI_Allgather(mine.c_str(), kIdBytes, MPI_CHAR, all.data(), kIdBytes, MPI_CHAR, node);
  MPI_Comm_free(&node);
  std::set<std::string> ids;
  for (int r = 0; r < size; ++r) ids.insert(std::string(all.data() + size_t(r) * kIdBytes));
  return !ids.count("") && int(ids.size()) == size;
}

}  // namespace

std::string bind_node_local_gpu(MPI_Comm comm, const CudaDevices& devices) {
  const NodeLocalRank local = node_local_rank(comm);
  std::string why_none;
  const int count = devices.count(why_none);
  const bool one_gpu_each = node_sees_one_gpu_each(comm, count, devices);
  std::string problem;
  int device = -1;
  try {
    device = choose_cuda_device(local, count, one_gpu_each);
  } catch (const std::invalid_argument& error) {
    problem = std::string(error.what()) + (why_none.empty() ? "" : " (" + why_none + ")");
  }
  int failed = problem.empty() ? 0 : 1;
  MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, comm);
  if (failed)
    throw std::invalid_argument(problem.empty() ? "device cuda: another rank has no GPU" : problem);
  devices.make_current(device);
  return "cuda:" + std::to_string(device);
}

}  // namespace riskstep
