#pragma once
// The MPI task farm: runs tasks over the ranks of a communicator with dynamic scheduling.
//
// Rank 0 hands out task indices as workers ask (long and short tasks mix well). Single-rank tasks
// also run on rank 0, in a helper thread, while its main thread answers requests (only the main
// thread calls MPI, so MPI_THREAD_FUNNELED suffices). A task needing k > 1 ranks runs on a group
// made with MPI_Comm_split: every member calls the runner with its rank in the group and the
// group communicator; only the group's rank 0 result counts. When the ranks divide into such
// groups, every group runs its share of them in order (no rank idles as a coordinator: 4 GPUs, 2
// per task, two tasks at a time); otherwise rank 0 hands them out to the groups beside it. Tasks
// are run in phases by group size (largest first) because groups are fixed for a phase. Works on
// any communicator, so tests can compare MPI_COMM_SELF with MPI_COMM_WORLD.
#include <mpi.h>

#include <cstddef>
#include <functional>
#include <map>
#include <vector>

namespace riskstep {

struct FarmSlot {
  int rank_in_group = 0;
  int group_size = 1;
  MPI_Comm group_comm = MPI_COMM_SELF;
  int world_rank = 0;  // rank in the farm's communicator
};

// Runs task `index` on this rank; returns true when it succeeded. Must not throw. For a group
// task, every member is called; the group's rank 0 return value is the one reported.
using TaskRunner = std::function<bool(size_t index, const FarmSlot& slot)>;

struct FarmOptions {
  bool coordinator_works = true;  // rank 0 runs single-rank tasks too (see bench/sweep_overhead)
  // Rank 0 only, from the main thread: after every finished task and every few milliseconds.
  std::function<void(size_t done, size_t failed)> on_progress;
  // Per task index, what a finished task adds to done and failed (empty: 1 each). A sweep's farm
  // runs work units, and counts the tasks in each.
  std::vector<size_t> weights;
  // Rank 0 only, from the main thread with on_progress: the task each busy rank runs (a progress
  // line that shows what runs).
  std::function<void(const std::map<int, size_t>& running)> on_running;
};

struct FarmCounts {
  size_t done = 0;  // finished, ok or failed (weighted by FarmOptions::weights)
  size_t failed = 0;
  bool stopped = false;  // a stop was requested (pipeline/stop_signal.h) and tasks were left
};

// Once stop_requested() (SIGUSR1) holds on rank 0, no new task starts; running ones finish.
// `ranks_needed[i]` is task i's group size (same vector on every rank); `pending` the indices to
// run (read on rank 0 only). Collective over `comm`. Throws std::invalid_argument before any work
// if a task needs more ranks than `comm` has. Returns the counts on rank 0 (zeros elsewhere).
FarmCounts run_farm(MPI_Comm comm, const std::vector<int>& ranks_needed,
                    const std::vector<size_t>& pending, const TaskRunner& runner,
                    const FarmOptions& options = {});

}  // namespace riskstep
