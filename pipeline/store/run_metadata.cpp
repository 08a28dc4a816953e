#include "pipeline/store/run_metadata.h"

#include <hdf5.h>
#include <mpi.h>
#include <toml++/toml.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <ctime>

#include "pipeline/core/sha256.h"
#include "pipeline/version.h"

namespace riskstep {

namespace {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

std::string mpi_library_version() {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) return "";
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  MPI_Get_library_version(text, &length);
  std::string version(text, static_cast<size_t>(length));
  // Open MPI appends build details after a comma; the first part names the release.
  const auto cut = version.find_first_of(",\n");
  return cut == std::string::npos ? version : version.substr(0, cut);
}

std::map<std::string, std::string>& recorded_versions() {
  static std::map<std::string, std::string> versions;
  return versions;
}

}  // namespace

void record_library_version(const std::string& name, const std::string& version) {
  recorded_versions()[name] = version;
}

RunMetadata collect_run_metadata(const std::string& spec_text, int mpi_size) {
  RunMetadata metadata;
  metadata.version = RISKSTEP_VERSION;
  metadata.git_commit = RISKSTEP_GIT_COMMIT;
  metadata.created_utc = utc_now();
  metadata.spec_text = spec_text;
  metadata.spec_hash = sha256_hex(spec_text);
  metadata.host = host_name();
  metadata.mpi_size = mpi_size;

  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  metadata.libraries = recorded_versions();
  metadata.libraries["hdf5"] =
      std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
  if (const std::string mpi = mpi_library_version(); !mpi.empty()) metadata.libraries["mpi"] = mpi;
  metadata.libraries["tomlplusplus"] = std::to_string(TOML_LIB_MAJOR) + "." +
                                       std::to_string(TOML_LIB_MINOR) + "." +
                                       std::to_string(TOML_LIB_PATCH);
  metadata.libraries["nlohmann_json"] = std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                        std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                        std::to_string(NLOHMANN_JSON_VERSION_PATCH);

  for (const char* name :
       {"SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_JOB_NODELIST"}) {
    if (const char* value = std::getenv(name)) metadata.slurm[name] = value;
  }
  return metadata;
}

std::string metadata_json(const RunMetadata& m) {
  return nlohmann::json{{"version", m.version},
                        {"git_commit", m.git_commit},
                        {"created_utc", m.created_utc},
                        {"spec_text", m.spec_text},
                        {"spec_hash", m.spec_hash},
                        {"spec_overrides", m.spec_overrides},
                        {"host", m.host},
                        {"mpi_size", m.mpi_size},
                        {"libraries", m.libraries},
                        {"slurm", m.slurm}}
      .dump();
}

RunMetadata metadata_from_json(const std::string& json) {
  try {
    const auto j = nlohmann::json::parse(json);
    RunMetadata m;
    m.version = j.at("version").get<std::string>();
    m.git_commit = j.at("git_commit").get<std::string>();
    m.created_utc = j.at("created_utc").get<std::string>();
    m.spec_text = j.at("spec_text").get<std::string>();
    m.spec_hash = j.at("spec_hash").get<std::string>();
    m.spec_overrides = j.at("spec_overrides").get<std::string>();
    m.host = j.at("host").get<std::string>();
    m.mpi_size = j.at("mpi_size").get<int>();
    m.libraries = j.at("libraries").get<std::map<std::string, std::string>>();
    m.slurm = j.at("slurm").get<std::map<std::string, std::string>>();
    return m;
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(std::string("run metadata: ") + error.what());
  }
}

}  // namespace riskstep
