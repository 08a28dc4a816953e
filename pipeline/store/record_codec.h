#pragma once
// TaskRecords as bytes: the payload of a record log's frames (record_log.h) and of messages
// between ranks. Little-endian, fixed widths (u8 variant indices, u64 counts and lengths, i32
// ranks, i64/u64/f64 numbers, IEEE doubles), strings as u64 length + bytes: the same on every
// machine this builds on (a static_assert refuses a big-endian one).
#include <string>
#include <vector>

#include "pipeline/core/task_record.h"

namespace riskstep {

std::string encode_records(const std::vector<TaskRecord>& records);
// Throws std::runtime_error when `bytes` ends early or holds an unknown variant index.
std::vector<TaskRecord> decode_records(const std::string& bytes);

// One record, appended to `bytes`; and back from `size` bytes at `data` (all of them).
void encode_record(const TaskRecord& record, std::string& bytes);
TaskRecord decode_record(const char* data, size_t size);

// Tables alike (summary rows sent between ranks): appended to `bytes`; read from `data` on,
// `used` set to the bytes taken.
void encode_table(const Table& table, std::string& bytes);
Table decode_table(const char* data, size_t size, size_t& used);

}  // namespace riskstep
