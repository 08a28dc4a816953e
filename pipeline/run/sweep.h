#pragma once
// A whole sweep: spec -> tasks -> farm -> DIR/tasks/<id>.h5 -> DIR/results.h5. Behaviour (resume,
// failures, --retry-failed, --force, signals) is described in docs/engine.md.
#include <mpi.h>

#include <ostream>
#include <string>
#include <vector>

#include "pipeline/comm/device_binding.h"
#include "pipeline/core/job.h"

namespace riskstep {

struct SweepOptions {
  std::string spec_path;
  std::string out_dir;                 // "" = the spec's `out`
  std::vector<std::string> overrides;  // --set key=value
  std::string device = "cpu";          // cpu | cuda: what tasks with device "auto" compute on
  CudaDevices cuda = cuda_runtime_devices();  // how GPUs are counted and bound (tests: fakes)
  bool dry_run = false;           // list the tasks (with their state in out_dir) and stop
  bool retry_failed = false;      // rerun tasks whose file says failed (a normal rerun skips them)
  bool force = false;             // reuse an out_dir made from a different sweep
  bool wait = false;              // wait for another run holding out_dir instead of refusing
  size_t max_tasks = 1000000;     // refuse larger grids before expanding them
  std::string shard;              // "i/n": run only shard i of n (pipeline/run/shard.h)
  bool merge_only = false;        // run nothing: merge the task files into results.h5
  std::string progress = "auto";  // progress line on stderr (rank 0): auto (on a terminal),
                                  // always, never
  bool coordinator_works = true;  // see FarmOptions
};

// Collective over `comm`. Returns the exit status on every rank: 0 all tasks ok, 1 some task
// failed (or, with merge_only, is missing), 2 bad input (spec, parameters, output directory),
// kStoppedEarlyStatus (3, pipeline/process/stop_signal.h) when tasks were left to a later run
// (SIGUSR1, or a task that stopped itself, e.g. stop_after_epochs). Messages go to `out`
// (listing and summary) and `err` (errors), from rank 0 only.
int run_sweep(MPI_Comm comm, const SweepOptions& options, const JobRegistry& registry,
              std::ostream& out, std::ostream& err);

// DIR/tasks/<id>.h5

}  // namespace riskstep
