#pragma once
// What a kind's own command (riskstep backtest, example) does with its tasks: run them here, in
// this one process (no farm; `riskstep sweep` spreads tasks over ranks), one work unit after
// another with a line each on stderr, and write them into one HDF5 results file.
#include <string>
#include <vector>

#include "pipeline/core/job.h"
#include "pipeline/core/task_record.h"
#include "pipeline/spec/sweep_spec.h"

namespace riskstep {

// The command's tasks of `spec`, each validated; throws on bad input (data files included), and
// when `out` holds results of other tasks unless `force` (replacing them would lose them; the
// same tasks, a rerun, may be replaced).
std::vector<Task> in_process_tasks(const SweepSpec& spec, const JobKind& kind, const Job& job,
                                   const std::string& out, bool force);

// Every task's record, in the order of `tasks`.
std::vector<TaskRecord> run_in_process(Job& job, const std::vector<Task>& tasks);

// `path` (its folder made), recording `spec` as the run's spec; "wrote PATH" on stderr.
void write_in_process_results(const std::string& path, const SweepSpec& spec,
                              const std::vector<TaskRecord>& records);

size_t failed_count(const std::vector<TaskRecord>& records);

}  // namespace riskstep
