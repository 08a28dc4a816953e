#pragma once
// A record log: one process's finished tasks, appended as checksummed frames to a file only that
// process writes (DIR/logs/<run>.r<rank>.log, pipeline/store/out_layout.h). A frame is durable
// once append() returns (written and fdatasync'ed): what the farm reports as done. A kill at any
// moment leaves at most a torn last frame, which a scan rejects (and its task runs again); a
// flipped bit anywhere fails its frame's sha256, and the scan resynchronises at the next frame.
//
// Frame: "RSKREC1\n" | u64 body length | sha256 of the body (32 bytes) | body, little-endian.
// Body:  u8 type (0 task record, 1 run metadata) then
//   record:   u8 status (0 ok, 1 failed) | u64 seed | u16 + id | u16 + kind | u64 size of the
//             record_codec bytes | those bytes deflated (zlib)
//   metadata: the run's RunMetadata as JSON (written once, first, by each log's writer)
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/core/task_record.h"
#include "pipeline/store/run_metadata.h"

namespace riskstep {

// Where a record lies in its log and what the scan needs without decoding it.
struct LogEntry {
  uint64_t offset = 0;  // of the frame
  uint32_t size = 0;    // of the whole frame
  bool ok = true;       // status ok (else failed)
  uint64_t seed = 0;
  std::string id;
  std::string kind;
};

class RecordLogWriter {
 public:
  // Nothing is created until the first append; then the file starts with `metadata`.
  RecordLogWriter(std::string path, RunMetadata metadata);
  ~RecordLogWriter();
  RecordLogWriter(const RecordLogWriter&) = delete;
  RecordLogWriter& operator=(const RecordLogWriter&) = delete;

  // Appends every record (not stopped ones), then fdatasyncs: returns each one's entry. Throws
  // std::runtime_error naming the file and the system's reason ("No space left on device");
  // a failed append is cut off again where it can be, and a scan rejects what is left of it.
  std::vector<LogEntry> append(const std::vector<TaskRecord>& records);
  const std::string& path() const { return path_; }
  bool created() const { return fd_ >= 0; }

 private:
  std::string path_;
  RunMetadata metadata_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

struct LogScan {
  std::vector<LogEntry> entries;      // valid records, in file order
  RunMetadata metadata;               // of the run that wrote it (empty fields when unreadable)
  uint64_t bytes = 0;                 // the file's size when scanned
  std::vector<std::string> problems;  // "byte N: why" for each rejected stretch
};

// Reads the whole log; never throws for damage inside it (problems say where), only when the
// file cannot be opened or read (std::runtime_error naming it).
LogScan scan_record_log(const std::string& path);

// The record of `entry`, checked again (magic, checksum, id). Throws std::runtime_error naming
// the file and offset when it is not there any more. `fd` is the log opened for reading.
TaskRecord read_logged_record(int fd, const std::string& path, const LogEntry& entry);

}  // namespace riskstep
