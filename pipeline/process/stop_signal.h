#pragma once
// SIGUSR1 = "the time limit is near" (Slurm's --signal=B:USR1@N, passed on to every rank by the
// job script through mpirun or srun). Unlike SIGTERM (pipeline/process/interrupt.h: exit now,
// finished tasks are on disk) it asks for a clean stop: start no new task, let running ones finish
// or checkpoint, write what is done, and exit with kStoppedEarlyStatus so the job requeues itself.
// Every rank must hold a StopRequestGuard: USR1's default action would kill the rank.
#include "pipeline/core/exit_status.h"

namespace riskstep {

// Exit status of a sweep that stopped on request before all its tasks ran.
constexpr int kStoppedEarlyStatus = exit_status::stopped_early;

// Installs the SIGUSR1 handler for its lifetime (restoring the previous one after).
class StopRequestGuard {
 public:
  StopRequestGuard();
  ~StopRequestGuard();
  StopRequestGuard(const StopRequestGuard&) = delete;
  StopRequestGuard& operator=(const StopRequestGuard&) = delete;
};

// True once SIGUSR1 arrived (or request_stop() was called); safe from any thread. Long tasks
// (training) poll it to checkpoint and return early.
bool stop_requested();
void request_stop();
void clear_stop_request();  // for tests and for a process that runs several sweeps

}  // namespace riskstep
