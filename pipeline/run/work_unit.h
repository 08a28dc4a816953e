#pragma once
// The one way a task runs: every caller (riskstep sweep, backtest, train) hands work units here
// and gets back settled records. A work unit is one task, or tasks the job batches together
// (Job::batch_key) to run through Job::run_batch.
#include <functional>
#include <vector>

#include "pipeline/core/job.h"
#include "pipeline/core/task_record.h"

namespace riskstep {

// Indices into `tasks` grouped into work units: tasks with the same non-empty batch key and the
// same rank count form one unit (first appearance order), every other task is a unit alone.
std::vector<std::vector<size_t>> group_work_units(const Job& job, const std::vector<Task>& tasks,
                                                  const std::vector<size_t>& indices);
// The same for tasks rebuilt on demand (a sweep's compact task list).
std::vector<std::vector<size_t>> group_work_units(const Job& job,
                                                  const std::function<Task(size_t)>& task_at,
                                                  const std::vector<size_t>& indices);

// Runs one unit and settles each task: a throw becomes `failed` with its message, a TaskStopped
// becomes `stopped`, a result holding NaN or Inf becomes `failed`; a failed or stopped task keeps
// no result. The unit's wall time is shared evenly by its tasks. Never throws.
std::vector<TaskRecord> run_work_unit(Job& job, const std::vector<Task>& tasks,
                                      const TaskContext& context, int world_rank);

}  // namespace riskstep
