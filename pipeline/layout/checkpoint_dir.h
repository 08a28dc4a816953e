#pragma once
// A checkpoint directory belongs to one task: DIR/task.json records the task's kind, id, seed
// and identity settings before the job keeps anything there. A directory of another task is
// refused with one line naming the first difference, never reused or overwritten.
#include <mpi.h>

#include <string>

#include "pipeline/core/task.h"

namespace riskstep {

// Creates DIR and its task.json when absent (only `writer` writes; the other members of a task's
// group just check). Throws std::invalid_argument naming DIR when it belongs to another task or
// holds files without a task.json.
void claim_checkpoint_dir(const std::string& dir, const Task& task, bool writer);
// Collective over a task's group: its rank 0 claims DIR as the writer and every rank throws alike
// when DIR is refused (pipeline/comm/rank0_decides.h).
void claim_checkpoint_dir_together(const std::string& dir, const Task& task, MPI_Comm group);

// The first difference between a task and the one recorded in DIR/task.json, as
// "setting 'x': 1 there, 2 here" ("" when they are the same task).
std::string first_difference(const Task& recorded, const Task& task);

}  // namespace riskstep
