#pragma once
// The HDF5 result store: one file per task (DIR/tasks/<id>.h5) and the merged DIR/results.h5.
// Layout: docs/hdf5-layout.md. Both kinds of file carry the run metadata as root attributes and
// each task under /tasks/<id>/, so a task file can be read alone and merging is a copy.
#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/result.h"
#include "pipeline/core/task_record.h"
#include "pipeline/store/run_metadata.h"

namespace riskstep {

// The version of the files this riskstep writes (root attribute riskstep_format, e.g.
// "riskstep-results-3"); files of every earlier version are read too. Version 3: task ids by
// content (pipeline/core/task_identity.h), so earlier out directories hold other ids.
constexpr int kFormatVersion = 3;

// Built in memory, then written to a temporary name and renamed (pipeline/store/hdf5_image.h), so
// `path` is either absent or complete. Every task group carries a checksum (record_digest.h),
// verified whenever it is read. Throws std::runtime_error naming the file and the reason (e.g.
// "No space left on device") or the offending name (a Result attribute that clashes with an
// engine attribute such as "status").
void write_task_file(const std::string& path, const RunMetadata& metadata,
                     const TaskRecord& record);

// What a task file holds: its record when it is complete, a riskstep task file and its checksum
// matches; else `problem` says why not ("" when the file does not exist). Never throws.
struct TaskFileState {
  std::optional<TaskRecord> record;
  std::string problem;
};
TaskFileState read_task_file_state(const std::string& path);
std::optional<TaskRecord> read_task_file(const std::string& path);  // the record only

// /tasks/<id>/... for every record plus /summary (see summary_table.h). Atomic like task files.
void write_results_file(const std::string& path, const RunMetadata& metadata,
                        const std::vector<TaskRecord>& records);

// Every record under /tasks of a results file. Throws naming the file when it is not one or a
// checksum does not match.
std::vector<TaskRecord> read_results_file(const std::string& results_path);

// The root attributes of a task or results file. Throws naming the file when it is not one.
RunMetadata read_run_metadata(const std::string& path);

// /summary as a Table, for aggregation. Throws one line naming the file when it is not a riskstep
// results file or the table's checksum does not match.
Table read_summary_table(const std::string& results_path);

}  // namespace riskstep
