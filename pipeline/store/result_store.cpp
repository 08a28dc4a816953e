#include "pipeline/store/result_store.h"

#include <unistd.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>
#include <set>
#include <stdexcept>

#include "pipeline/store/atomic_file.h"
#include "pipeline/store/hdf5_handle.h"
#include "pipeline/store/hdf5_image.h"
#include "pipeline/store/hdf5_io.h"
#include "pipeline/store/record_digest.h"
#include "pipeline/store/summary_table.h"

namespace riskstep {

namespace {

constexpr const char* kFormatAttribute = "riskstep_format";
// Version 3: task ids by content (pipeline/core/task_identity.h) and each task's input_sha256.
// Version 2 carries a sha256 of every task group and of /summary (record_digest.h), as version 3
// does; files of versions 1 (no checksums) and 2 are still read.
constexpr const char* kTaskFileFormat = "riskstep-task-";
constexpr const char* kResultsFileFormat = "riskstep-results-";
constexpr const char* kDigestAttribute = "sha256";
constexpr const char* kSummaryDataset = "summary";  // inside a task group: Result.summary

const std::set<std::string>& engine_task_attributes() {
  static const std::set<std::string> names = {
      "kind",   "parameters", "run_settings", "input_sha256", "seed", "ranks",
      "status", "error",      "wall_seconds", "rank",         "host", "sha256"};
  return names;
}

std::string string_attribute(const std::map<std::string, AttributeValue>& attributes,
                             const std::string& name) {
  auto it = attributes.find(name);
  if (it == attributes.end() || !std::holds_alternative<std::string>(it->second))
    throw std::runtime_error("missing string attribute '" + name + "'");
  return std::get<std::string>(it->second);
}

int64_t int_attribute(const std::map<std::string, AttributeValue>& attributes,
                      const std::string& name) {
  auto it = attributes.find(name);
  if (it == attributes.end() || !std::holds_alternative<int64_t>(it->second))
    throw std::runtime_error("missing integer attribute '" + name + "'");
  return std::get<int64_t>(it->second);
}

void write_metadata(hid_t file, const RunMetadata& metadata, const char* format) {
  using hdf5::write_attribute;
  write_attribute(file, kFormatAttribute, format + std::to_string(kFormatVersion));
  write_attribute(file, "riskstep_version", metadata.version);
  write_attribute(file, "git_commit", metadata.git_commit);
  write_attribute(file, "created_utc", metadata.created_utc);
  write_attribute(file, "spec_text", metadata.spec_text);
  write_attribute(file, "spec_sha256", metadata.spec_hash);
  write_attribute(file, "spec_overrides", metadata.spec_overrides);
  write_attribute(file, "host", metadata.host);
  write_attribute(file, "mpi_size", static_cast<int64_t>(metadata.mpi_size));
  for (const auto& [name, version] : metadata.libraries)
    write_attribute(file, "library_" + name, version);
  for (const auto& [name, value] : metadata.slurm) write_attribute(file, name, value);
}

RunMetadata metadata_from(const std::map<std::string, AttributeValue>& attributes) {
  RunMetadata metadata;
  metadata.version = string_attribute(attributes, "riskstep_version");
  metadata.git_commit = string_attribute(attributes, "git_commit");
  metadata.created_utc = string_attribute(attributes, "created_utc");
  metadata.spec_text = string_attribute(attributes, "spec_text");
  metadata.spec_hash = string_attribute(attributes, "spec_sha256");
  metadata.spec_overrides = string_attribute(attributes, "spec_overrides");
  metadata.host = string_attribute(attributes, "host");
  metadata.mpi_size = static_cast<int>(int_attribute(attributes, "mpi_size"));
  for (const auto& [name, value] : attributes) {
    const auto* text = std::get_if<std::string>(&value);
    if (!text) continue;
    if (name.rfind("library_", 0) == 0) metadata.libraries[name.substr(8)] = *text;
    if (name.rfind("SLURM_", 0) == 0) metadata.slurm[name] = *text;
  }
  return metadata;
}

void write_task_group(hid_t file, const TaskRecord& record) {
  const Task& task = record.task;
  for (const auto& [name, value] : record.result.attributes)
    if (engine_task_attributes().count(name))
      throw std::invalid_argument("task " + task.id + ": result attribute '" + name +
                                  "' clashes with an engine attribute");
  auto reserve = [&](const std::string& name, std::set<std::string>& used) {
    if (name == kSummaryDataset || !used.insert(name).second)
      throw std::invalid_argument("task " + task.id + ": result name '" + name +
                                  "' is used twice or reserved");
  };
  std::set<std::string> used;
  for (const auto& [name, c] : record.result.columns) reserve(name, used);
  for (const auto& [name, m] : record.result.matrices) reserve(name, used);
  for (const auto& [name, t] : record.result.tables) reserve(name, used);

  const std::string path = "/tasks/" + task.id;
  hdf5::Handle lcpl = hdf5::plist(H5Pcreate(H5P_LINK_CREATE), "link property list");
  hdf5::check(H5Pset_create_intermediate_group(lcpl.get(), 1), "intermediate groups");
  hdf5::Handle group = hdf5::group(
      H5Gcreate2(file, path.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), "group " + path);
  using hdf5::write_attribute;
  write_attribute(group.get(), "kind", task.kind);
  write_attribute(group.get(), "parameters", canonical_json(task.kind, task.params));
  write_attribute(group.get(), "run_settings", params_json(task.run_settings));
  write_attribute(group.get(), "input_sha256", task.input_sha256);
  write_attribute(group.get(), "seed", static_cast<int64_t>(task.seed));
  write_attribute(group.get(), "ranks", static_cast<int64_t>(task.ranks));
  write_attribute(group.get(), "status", record.status);
  write_attribute(group.get(), "error", record.error);
  write_attribute(group.get(), "wall_seconds", record.wall_seconds);
  write_attribute(group.get(), "rank", static_cast<int64_t>(record.rank));
  write_attribute(group.get(), "host", record.host);
  for (const auto& [name, value] : record.result.attributes)
    write_attribute(group.get(), name, value);
  for (const auto& [name, column] : record.result.columns)
    hdf5::write_column(group.get(), name, column);
  for (const auto& [name, matrix] : record.result.matrices)
    hdf5::write_matrix(group.get(), name, matrix);
  for (const auto& [name, table] : record.result.tables)
    hdf5::write_table(group.get(), name, table);
  if (!record.result.summary.names.empty())
    hdf5::write_table(group.get(), kSummaryDataset, record.result.summary);
  write_attribute(group.get(), kDigestAttribute, record_digest(record));
}

struct VisitState {
  Result* result;
  std::exception_ptr error;  // an exception must not unwind through HDF5's C frames
};

void collect_dataset(hid_t group, const char* name, Result* result) {
  hdf5::Handle ds = hdf5::dataset(H5Dopen2(group, name, H5P_DEFAULT), name);
  hdf5::Handle type = hdf5::datatype(H5Dget_type(ds.get()), name);
  hdf5::Handle space = hdf5::dataspace(H5Dget_space(ds.get()), name);
  const std::string path = name;
  if (path == kSummaryDataset)
    result->summary = hdf5::read_table(ds.get());
  else if (H5Tget_class(type.get()) == H5T_COMPOUND)
    result->tables[path] = hdf5::read_table(ds.get());
  else if (H5Sget_simple_extent_ndims(space.get()) == 2)
    result->matrices[path] = hdf5::read_matrix(ds.get());
  else
    result->columns[path] = hdf5::read_column(ds.get());
}

// H5Ovisit's callback: an exception thrown through the library's C frames would skip its own
// cleanup (a corrupt file then left an object open that crashed the library at exit), so it is
// kept, the visit stops (-1), and it is rethrown once H5Ovisit has returned.
herr_t visit_dataset(hid_t group, const char* name, const H5O_info_t* info, void* data) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  auto* state = static_cast<VisitState*>(data);
  try {
    collect_dataset(group, name, state->result);
  } catch (...) {
    state->error = std::current_exception();
    return -1;
  }
  return 0;
}

// From version 2 on every task group carries a digest, which must then match.
TaskRecord read_task_group(hid_t file, const std::string& id, int version) {
  const bool checksummed = version >= 2;
  hdf5::Handle group =
      hdf5::group(H5Gopen2(file, ("/tasks/" + id).c_str(), H5P_DEFAULT), "task " + id);
  auto attributes = hdf5::read_attributes(group.get());
  TaskRecord record;
  record.task.id = id;
  record.task.kind = string_attribute(attributes, "kind");
  record.task.params = params_from_json(
      nlohmann::json::parse(string_attribute(attributes, "parameters")).at("params").dump());
  if (attributes.count("run_settings"))
    record.task.run_settings = params_from_json(string_attribute(attributes, "run_settings"));
  if (attributes.count("input_sha256") && version >= 3)
    record.task.input_sha256 = string_attribute(attributes, "input_sha256");
  record.task.seed = static_cast<uint64_t>(int_attribute(attributes, "seed"));
  record.task.ranks = static_cast<int>(int_attribute(attributes, "ranks"));
  record.status = string_attribute(attributes, "status");
  record.error = string_attribute(attributes, "error");
  auto wall = attributes.find("wall_seconds");
  if (wall == attributes.end() || !std::holds_alternative<double>(wall->second))
    throw std::runtime_error("missing attribute 'wall_seconds'");
  record.wall_seconds = std::get<double>(wall->second);
  record.rank = static_cast<int>(int_attribute(attributes, "rank"));
  if (attributes.count("host")) record.host = string_attribute(attributes, "host");
  for (const auto& [name, value] : attributes) {
    // Before version 3, input_sha256 was a backtest's own attribute (its file's bytes).
    const bool result_attribute =
        !engine_task_attributes().count(name) || (version < 3 && name == "input_sha256");
    if (result_attribute) record.result.attributes[name] = value;
  }
  VisitState state{&record.result, nullptr};
  const herr_t visited =
      H5Ovisit2(group.get(), H5_INDEX_NAME, H5_ITER_INC, visit_dataset, &state, H5O_INFO_BASIC);
  if (state.error) std::rethrow_exception(state.error);
  hdf5::check(visited, "task " + id + " datasets");
  const auto digest = attributes.find(kDigestAttribute);
  if (digest == attributes.end() ? checksummed
                                 : digest->second != AttributeValue(record_digest(record)))
    throw std::runtime_error("task " + id + ": checksum mismatch (the data changed after it " +
                             "was written)");
  return record;
}

std::vector<std::string> task_ids_in(hid_t file) {
  std::vector<std::string> ids;
  hdf5::Handle tasks = hdf5::group(H5Gopen2(file, "/tasks", H5P_DEFAULT), "/tasks");
  H5G_info_t info;
  hdf5::check(H5Gget_info(tasks.get(), &info), "/tasks");
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t size = H5Lget_name_by_idx(tasks.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i,
                                            nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<size_t>(size), '\0');
    H5Lget_name_by_idx(tasks.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                       name.size() + 1, H5P_DEFAULT);
    ids.push_back(name);
  }
  return ids;
}

struct OpenedFile {
  hdf5::Handle file;
  int version = kFormatVersion;
};

// Reads files of every format version; throws naming the file when it is none of riskstep's.
OpenedFile open_riskstep_file(const std::string& path, const char* format) {
  OpenedFile opened{hdf5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                               path + ": cannot open as an HDF5 file")};
  const auto attributes = hdf5::read_attributes(opened.file.get());
  const auto found = attributes.find(kFormatAttribute);
  const std::string* text =
      found == attributes.end() ? nullptr : std::get_if<std::string>(&found->second);
  const std::string prefix(format);
  for (int version = 1; version <= kFormatVersion; ++version)
    if (text && *text == prefix + std::to_string(version)) {
      opened.version = version;
      return opened;
    }
  throw std::runtime_error(path + ": not a riskstep " +
                           (prefix == kTaskFileFormat ? "task" : "results") +
                           " file (root attribute " + kFormatAttribute + " is not " + prefix +
                           "1.." + std::to_string(kFormatVersion) + ")");
}

}  // namespace

void write_task_file(const std::string& path, const RunMetadata& metadata,
                     const TaskRecord& record) {
  hdf5::QuietErrors quiet;
  hdf5::write_file_whole(path, [&](hid_t file) {
    write_metadata(file, metadata, kTaskFileFormat);
    write_task_group(file, record);
  });
}

TaskFileState read_task_file_state(const std::string& path) {
  TaskFileState state;
  if (access(path.c_str(), F_OK) != 0) return state;
  hdf5::QuietErrors quiet;
  try {
    OpenedFile opened = open_riskstep_file(path, kTaskFileFormat);
    const auto ids = task_ids_in(opened.file.get());
    if (ids.size() != 1)
      throw std::runtime_error(path + ": holds " + std::to_string(ids.size()) + " tasks, not 1");
    state.record = read_task_group(opened.file.get(), ids.front(), opened.version);
  } catch (const std::exception& error) {
    state.problem = error.what();
  }
  return state;
}

std::optional<TaskRecord> read_task_file(const std::string& path) {
  return read_task_file_state(path).record;
}

void write_results_file(const std::string& path, const RunMetadata& metadata,
                        const std::vector<TaskRecord>& records) {
  hdf5::QuietErrors quiet;
  hdf5::write_file_whole(path, [&](hid_t file) {
    write_metadata(file, metadata, kResultsFileFormat);
    hdf5::Handle tasks = hdf5::group(
        H5Gcreate2(file, "/tasks", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "group /tasks");
    for (const auto& record : records) write_task_group(file, record);
    const Table summary = summary_table(records);
    if (summary.names.empty()) return;
    hdf5::write_table(file, "/summary", summary);
    hdf5::Handle dataset = hdf5::dataset(H5Dopen2(file, "/summary", H5P_DEFAULT), "/summary");
    hdf5::write_attribute(dataset.get(), kDigestAttribute, table_digest(summary));
  });
}

std::vector<TaskRecord> read_results_file(const std::string& results_path) {
  hdf5::QuietErrors quiet;
  OpenedFile opened = open_riskstep_file(results_path, kResultsFileFormat);
  std::vector<TaskRecord> records;
  for (const auto& id : task_ids_in(opened.file.get())) {
    try {
      records.push_back(read_task_group(opened.file.get(), id, opened.version));
    } catch (const std::exception& error) {
      throw std::runtime_error(results_path + ": task " + id + ": " + error.what());
    }
  }
  return records;
}

RunMetadata read_run_metadata(const std::string& path) {
  hdf5::QuietErrors quiet;
  hdf5::Handle file = hdf5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                                 path + ": cannot open as an HDF5 file");
  try {
    return metadata_from(hdf5::read_attributes(file.get()));
  } catch (const std::exception& error) {
    throw std::runtime_error(path + ": not a riskstep file: " + error.what());
  }
}

Table read_summary_table(const std::string& results_path) {
  hdf5::QuietErrors quiet;
  OpenedFile opened = open_riskstep_file(results_path, kResultsFileFormat);
  const hid_t file = opened.file.get();
  if (H5Lexists(file, "/summary", H5P_DEFAULT) <= 0) return Table{};  // no ok task rows
  hdf5::Handle ds =
      hdf5::dataset(H5Dopen2(file, "/summary", H5P_DEFAULT), results_path + ": /summary");
  Table summary;
  try {
    summary = hdf5::read_table(ds.get());
  } catch (const std::exception& error) {
    throw std::runtime_error(results_path + ": " + error.what());
  }
  if (opened.version < 2) return summary;
  const auto attributes = hdf5::read_attributes(ds.get());
  const auto digest = attributes.find(kDigestAttribute);
  if (digest == attributes.end() || digest->second != AttributeValue(table_digest(summary)))
    throw std::runtime_error(results_path + ": /summary: checksum mismatch (the file changed " +
                             "after it was written)");
  return summary;
}

}  // namespace riskstep
