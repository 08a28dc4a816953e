#pragma once
// The pieces every riskstep HDF5 file is made of (docs/hdf5-layout.md): the root attributes (the
// format and the run metadata) and one group per task, /tasks/<id>/, carrying the task's
// attributes, its Result's datasets and a checksum of all of it (record_digest.h). Results files
// (result_store.h) and part files (part_file.h) are built from them.
#include <hdf5.h>

#include <string>

#include "pipeline/core/task_record.h"
#include "pipeline/store/hdf5_handle.h"
#include "pipeline/store/run_metadata.h"

namespace riskstep {

// The version of the files this riskstep writes (root attribute riskstep_format, e.g.
// "riskstep-results-4"); files of every earlier version are read too. Version 3: task ids by
// content (pipeline/core/task_identity.h). Version 4: a sweep's results.h5 is an index (task
// groups in part files, reached through external links; /summary checksummed per block).
constexpr int kFormatVersion = 4;
constexpr const char* kResultsFormat = "riskstep-results-";
constexpr const char* kTaskFileFormat = "riskstep-task-";  // versions 1-3: DIR/tasks/<id>.h5
constexpr const char* kPartFormat = "riskstep-part-";      // version 4: DIR/parts/*.h5

void write_file_metadata(hid_t file, const RunMetadata& metadata, const char* format);
// Throws std::runtime_error naming the missing attribute.
RunMetadata read_file_metadata(hid_t file);

// /tasks/<id>/ (the group /tasks must exist). Throws std::invalid_argument when a Result name
// clashes with an engine attribute or is used twice; std::runtime_error on HDF5 failures.
void write_task_group(hid_t file, const TaskRecord& record);
// The record of /tasks/<id> (which may be an external link), checked against its checksum from
// version 2 on; throws std::runtime_error saying what is wrong.
TaskRecord read_task_group(hid_t file, const std::string& id, int version);

struct OpenedFile {
  hdf5::Handle file;
  int version = kFormatVersion;
};
// A riskstep file of `format` (one of the prefixes above) of any version up to kFormatVersion;
// throws std::runtime_error naming the file when it is not one.
OpenedFile open_riskstep_file(const std::string& path, const char* format);

}  // namespace riskstep
