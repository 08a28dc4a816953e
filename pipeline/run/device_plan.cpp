#include "pipeline/run/device_plan.h"

#include <stdexcept>

namespace riskstep {

DevicePlan bind_devices(MPI_Comm comm, const std::string& run_device, const Job& job,
                        const std::vector<Task>& tasks, const CudaDevices& cuda) {
  bool needs_cuda = false;
  for (size_t i = 0; i < tasks.size() && !needs_cuda; ++i)
    needs_cuda = job.device(tasks[i]) == "cuda";
  return bind_devices(comm, run_device, needs_cuda, cuda);
}

DevicePlan bind_devices(MPI_Comm comm, const std::string& run_device, bool a_task_needs_cuda,
                        const CudaDevices& cuda) {
  if (run_device != "cpu" && run_device != "cuda")
    throw std::invalid_argument("--device: expected cpu or cuda, got '" + run_device + "'");
  const bool needs_gpu = run_device == "cuda" || a_task_needs_cuda;
  DevicePlan plan;
  if (!needs_gpu) return plan;
  plan.gpu = bind_node_local_gpu(comm, cuda);
  if (run_device == "cuda") plan.run_device = plan.gpu;
  return plan;
}

}  // namespace riskstep
