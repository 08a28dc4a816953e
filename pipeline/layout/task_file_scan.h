#pragma once
// Reading a sweep directory's task files with every rank. Rank 0 alone would open, read and
// verify (checksum) each file in turn: 0.6 ms a file, a minute for 100,000 tasks at the start of a
// resumed run and again at the merge. Here rank r reads positions r, r + size, ... of the list and
// sends the records to rank 0 (store/record_codec.h), so the reading scales with the ranks;
// rank 0 then writes results.h5 alone.
#include <mpi.h>

#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/task.h"
#include "pipeline/core/task_record.h"

namespace riskstep {

struct ScannedTaskFiles {
  std::vector<std::optional<TaskRecord>> records;  // per listed index: the complete task file
  std::vector<std::string> problems;  // "tasks/<id>.h5: why it does not count" (see out_dir.h)
};

// Collective over comm; `indices` (into tasks) must be the same list on every rank. The result
// is filled on rank 0 only, in the order of `indices`.
ScannedTaskFiles scan_task_files_together(MPI_Comm comm, const std::string& dir,
                                          const std::vector<Task>& tasks,
                                          const std::vector<size_t>& indices);

}  // namespace riskstep
