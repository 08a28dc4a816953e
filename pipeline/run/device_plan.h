#pragma once
// Which devices a run's tasks compute on, decided and bound before any task runs. The run has a
// device (`--device cpu|cuda`: what tasks whose device is "auto" use); a task's job may also ask
// for "cuda" itself (Job::device). When anything needs a GPU, every rank binds the GPU of its
// node-local rank first (pipeline/comm/device_binding.h), and tasks receive it in TaskContext.
#include <mpi.h>

#include <string>
#include <vector>

#include "pipeline/comm/device_binding.h"
#include "pipeline/core/job.h"

namespace riskstep {

struct DevicePlan {
  std::string run_device = "cpu";  // TaskContext::device: "cpu" or "cuda:N"
  std::string gpu;                 // TaskContext::gpu: "cuda:N" when a GPU is bound, else ""
};

// Collective over `comm`. Throws std::invalid_argument (on every rank alike) when a GPU is needed
// and some rank has none; `run_device` must be "cpu" or "cuda".
DevicePlan bind_devices(MPI_Comm comm, const std::string& run_device, const Job& job,
                        const std::vector<Task>& tasks,
                        const CudaDevices& cuda = cuda_runtime_devices());
// The same, told whether a task's job asks for "cuda" (a sweep asks its compact task list).
DevicePlan bind_devices(MPI_Comm comm, const std::string& run_device, bool a_task_needs_cuda,
                        const CudaDevices& cuda = cuda_runtime_devices());

}  // namespace riskstep
