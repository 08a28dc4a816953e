#pragma once
// TaskRecords as bytes, to send records that one rank read from task files to another (the
// parallel scan of a sweep directory, layout/task_file_scan.h). Raw native byte order and widths:
// sender and receiver are ranks of one MPI job on machines of one architecture. Not a file
// format: files are HDF5 (result_store.h).
#include <string>
#include <vector>

#include "pipeline/core/task_record.h"

namespace riskstep {

std::string encode_records(const std::vector<TaskRecord>& records);
// Throws std::runtime_error when `bytes` ends early or holds an unknown variant index.
std::vector<TaskRecord> decode_records(const std::string& bytes);

}  // namespace riskstep
