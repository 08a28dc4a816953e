#pragma once
// Checksums of what the store writes, so bit rot and tampering are caught when a file is read
// back (resume, merge, aggregate): the sha256 of a canonical byte string of every stored field.
// The digest is computed from the values, not the file bytes, so it is the same for a task in its
// task file and in results.h5, and HDF5 layout details never enter it.
#include <string>

#include "pipeline/core/task_record.h"

namespace riskstep {

std::string record_digest(const TaskRecord& record);  // everything the task group stores
std::string table_digest(const Table& table);         // e.g. /summary

}  // namespace riskstep
