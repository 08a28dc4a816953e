#pragma once
// Results files (docs/hdf5-layout.md). A self-contained one (`riskstep backtest --out`, `train
// --out`) holds every task group itself; a sweep's DIR/results.h5 is an index written by rank 0:
// /parts, external links to the part files (part_file.h) that all ranks wrote, /tasks, a row per
// task saying which part and row hold its record, and /summary, streamed block by block. h5py and
// pandas read both alike. Files are written whole or not at all (hdf5_image.h); every task group
// and every /summary block carries a checksum, verified when read. Files of formats 1-3 (one file
// per task, results.h5 self-contained) are read too.
#include <functional>
#include <string>
#include <vector>

#include "pipeline/core/result.h"
#include "pipeline/core/task_record.h"
#include "pipeline/store/run_metadata.h"
#include "pipeline/store/task_group.h"

namespace riskstep {

// /tasks/<id>/... for every record plus /summary (summary_table.h). Throws std::runtime_error
// naming the file and the reason ("No space left on device"), std::invalid_argument for a
// Result name that clashes with an engine attribute.
void write_results_file(const std::string& path, const RunMetadata& metadata,
                        const std::vector<TaskRecord>& records);

// What a sweep's index holds: its part files (relative to the results file's directory), and
// where each task's record is: a part and the row in that part's /tasks.
struct IndexContents {
  std::vector<std::string> parts;
  // Fills the next task's id, index into `parts` and row; false when there are no more.
  std::function<bool(std::string& id, size_t& part, size_t& row)> next_link;
  Table summary_schema;  // the columns of /summary (no rows); no columns: no /summary
  std::vector<size_t> summary_text_sizes;  // fixed string sizes (hdf5::TableAppender)
  // Fills the next block of /summary rows in those columns; false when there are no more.
  std::function<bool(Table& block)> next_summary_block;
};
void write_results_index(const std::string& path, const RunMetadata& metadata,
                         const IndexContents& contents);

// Every record under /tasks of a results file (links followed). Throws naming the file when it
// is not one or a checksum does not match.
std::vector<TaskRecord> read_results_file(const std::string& results_path);

// What a reader relies on, verified: a sweep's index by the digest each part file's name
// carries (every byte of it) and the /summary blocks; any other results file by reading every
// task. Throws one line naming the file at fault and what to do.
void verify_results_file(const std::string& results_path);

// The root attributes of a task, part or results file. Throws naming the file when it is not one.
RunMetadata read_run_metadata(const std::string& path);

// /summary as a Table, for aggregation. Throws one line naming the file when it is not a riskstep
// results file or a checksum of the table does not match.
Table read_summary_table(const std::string& results_path);

}  // namespace riskstep
