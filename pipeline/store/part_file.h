#pragma once
// Part files: a sweep's records in HDF5, one file per record log (record_log.h), written by the
// ranks in parallel. DIR/parts/<log stem>.<digest>.h5 holds every valid record of that log, row
// k being the log's valid record k, packed by name (packed_tasks.h), the run metadata of the log's
// writer as root attributes (riskstep_format = riskstep-part-4, plus `log` and `log_bytes`: the log
// and its size when the part was made). <digest> is the first 16 hex digits of the sha256 of the
// part's own bytes, so the name verifies the file (part_file_intact) without any other record.
// A part is immutable: a log's records change only by damage, and then its part is made again.
#include <string>
#include <vector>

#include "pipeline/store/record_log.h"

namespace riskstep {

// Writes the part of the log at `log_path`, as `scan` found it, into `parts_dir`; returns its
// path. Throws std::runtime_error naming the file and the reason (a full disk) or the record
// that could not be read back; nothing is left behind then.
std::string write_part_file(const std::string& parts_dir, const std::string& log_path,
                            const LogScan& scan);

// The log stem a part's name belongs to ("" when the name is not one of a part file).
std::string part_log_stem(const std::string& part_name);
// True when the file exists and its bytes match the digest in its name.
bool part_file_intact(const std::string& path);
// True when it is intact and holds, row for row, the records `scan` found in its log (root
// attribute log_records_sha256): a frame damaged since the part was made changes that.
bool part_file_holds(const std::string& path, const LogScan& scan);

// Every record of an intact part file, in row order. Throws std::runtime_error naming the file
// when it is missing, damaged (its digest) or not a part file.
std::vector<TaskRecord> read_part_file(const std::string& path);

}  // namespace riskstep
