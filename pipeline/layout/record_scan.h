#pragma once
// What a sweep directory holds, read by every rank at once: each rank reads a share of the record
// logs (DIR/logs, store/record_log.h), checking every frame's checksum, and sends rank 0 only
// where each valid record lies (about 30 bytes a record); rank 0 keeps the record that counts for
// each task of the plan: an ok one before a failed one, then the newest (a later log, or later
// in its log). A rank reads the logs it wrote itself (still in its page cache) and the rest are
// shared out by size. Records of tasks outside the plan are ignored; a record whose task has
// another seed or kind is a problem (the task runs again), like a damaged stretch of a log.
#include <mpi.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pipeline/spec/task_list.h"
#include "pipeline/store/record_log.h"

namespace riskstep {

constexpr uint32_t kNoLog = UINT32_MAX;

struct RecordLocation {
  uint32_t log = kNoLog;  // index into ScannedLogs::logs
  uint32_t entry = 0;     // index into that log's LogScan::entries
  bool ok = false;
  uint64_t offset = 0;  // of its frame in the log
  uint32_t size = 0;
  bool found() const { return log != kNoLog; }
};

struct ScannedLogs {
  // Every rank alike.
  std::vector<std::string> logs;  // file names in DIR/logs, oldest first
  std::vector<int> reader;        // per log: the rank that read it
  // This rank's: the scans of the logs it read.
  std::map<uint32_t, LogScan> mine;
  // Rank 0 only.
  std::vector<RecordLocation> of_task;  // per task index
  std::vector<std::string> problems;    // "logs/<name>: ..." lines
};

// Collective over comm. `written_here`: the log files this rank wrote (read by it). Throws
// std::runtime_error (on the rank concerned) when a log cannot be read at all.
ScannedLogs scan_logs_together(MPI_Comm comm, const std::string& dir, const TaskList& tasks,
                               const std::vector<std::string>& written_here = {});

}  // namespace riskstep
