#pragma once
// What a sweep will do, decided before any work: the spec, its tasks, the output directory and
// the tasks this run is responsible for. Rank 0 reads and checks the spec; the other ranks
// rebuild the same plan from the text rank 0 read, so every rank holds the same task list.
#include <mpi.h>

#include <string>
#include <vector>

#include "pipeline/core/job.h"
#include "pipeline/run/sweep.h"
#include "pipeline/spec/sweep_spec.h"
#include "pipeline/spec/task_list.h"

namespace riskstep {

struct SweepPlan {
  SweepSpec spec;
  SettingsSchema settings;  // the kind's
  std::string base_dir;     // relative paths in the spec resolve against it
  TaskList tasks;           // compact: a million tasks fit every rank
  std::string out_dir;
  std::vector<size_t> selected;  // the tasks this run is responsible for (a shard, or all)
};

// Rank 0: reads the spec and checks everything that can be checked without running a task
// (settings, Job::validate on every task as it is expanded, ranks_per_task, --shard); throws
// SpecError (one line).
SweepPlan make_sweep_plan(const SweepOptions& options, const JobRegistry& registry, int world_size);

// Collective: rank 0's plan on every rank.
void share_sweep_plan(MPI_Comm comm, const SweepOptions& options, const JobRegistry& registry,
                      SweepPlan& plan);

}  // namespace riskstep
