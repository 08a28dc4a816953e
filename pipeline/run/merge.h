#pragma once
// The end of a sweep, done by all ranks. First every record log gets its part file
// (store/part_file.h): the rank that read a log (layout/record_scan.h) writes its part when none
// is there intact, so the ranks write in parallel. Then rank 0 writes DIR/results.h5: an external
// link per task into the part holding the record that counts, and /summary, whose rows the
// ranks send it in blocks in task order (store/summary_schema.h decides the columns from what
// each rank saw). No rank holds another rank's records; rank 0 holds the index and one block.
#include <mpi.h>

#include <string>
#include <vector>

#include "pipeline/layout/record_scan.h"
#include "pipeline/spec/task_list.h"
#include "pipeline/store/run_metadata.h"

namespace riskstep {

struct PartsMade {
  bool ok = true;                        // every rank alike: every log considered has its part
  std::vector<std::string> part_of_log;  // rank 0: per log "parts/<name>" ("" when none)
  std::vector<std::string> errors;       // rank 0: one line per failure, "rank N: ..."
};

// Collective. Each rank writes the missing or damaged parts of the logs it read; with
// `only_these` not empty, only of those logs (file names: a shard's own logs).
PartsMade make_parts(MPI_Comm comm, const std::string& dir, const ScannedLogs& scanned,
                     const std::vector<std::string>& only_these = {});

// Collective. results.h5 for the `selected` tasks' records that count (scanned.of_task); returns
// on every rank whether it was written, rank 0's reasons in `errors`. After it is written, part
// files it does not name are removed (the caller holds DIR alone).
bool write_merged_results(MPI_Comm comm, const std::string& dir, const TaskList& tasks,
                          const std::vector<size_t>& selected, const ScannedLogs& scanned,
                          const PartsMade& parts, const RunMetadata& metadata,
                          std::vector<std::string>& errors);

}  // namespace riskstep
