#pragma once
// Where a result came from: recorded as root attributes of every task file and results.h5, so a
// number in a table can be traced to the code, spec, machine and job that produced it.
#include <map>
#include <string>

namespace riskstep {

struct RunMetadata {
  std::string version;         // RISKSTEP_VERSION
  std::string git_commit;      // RISKSTEP_GIT_COMMIT, "+dirty" when built from a modified tree
  std::string created_utc;     // ISO 8601, e.g. 2024-05-01T12:00:00Z
  std::string spec_text;       // the spec file as read
  std::string spec_hash;       // sha256 of spec_text
  std::string spec_overrides;  // the --set key=value pairs, one per line ("" when none)
  std::string host;
  int mpi_size = 1;
  std::map<std::string, std::string> libraries;  // name -> version (hdf5, mpi, ...)
  // SLURM_JOB_ID, SLURM_ARRAY_JOB_ID, SLURM_ARRAY_TASK_ID, SLURM_JOB_NODELIST when set.
  std::map<std::string, std::string> slurm;
};

// Safe to call before or after MPI_Init (the MPI library version is recorded only when
// initialised). Includes every version given to record_library_version.
RunMetadata collect_run_metadata(const std::string& spec_text, int mpi_size);

// As a JSON object and back (a record log keeps the metadata of the run that wrote it). Parsing
// throws std::runtime_error on text that is not such an object.
std::string metadata_json(const RunMetadata& metadata);
RunMetadata metadata_from_json(const std::string& json);

// Versions the engine cannot know (the studies' libraries: LibTorch, BLAS, Boost, NLopt, the
// compiler), recorded once at start-up by the program and added to every run's metadata.
void record_library_version(const std::string& name, const std::string& version);

}  // namespace riskstep
