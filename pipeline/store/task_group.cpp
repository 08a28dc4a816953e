#include "pipeline/store/task_group.h"

#include <nlohmann/json.hpp>

#include <exception>
#include <map>
#include <set>
#include <stdexcept>

#include "pipeline/store/hdf5_io.h"
#include "pipeline/store/record_digest.h"

namespace riskstep {

namespace {

constexpr const char* kFormatAttribute = "riskstep_format";
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

// What a task group's header holds besides links: the engine's attributes and the Result's.
size_t header_bytes(const TaskRecord& record, const std::set<std::string>& names) {
  constexpr size_t kAttribute = 56, kLink = 24;  // HDF5 1.8 message sizes, roughly
  size_t bytes = engine_task_attributes().size() * (kAttribute + 16);
  for (const auto& [name, value] : record.result.attributes) bytes += kAttribute + name.size() + 16;
  for (const auto& name : names) bytes += kLink + name.size();
  return bytes;
}

// The first path component of each name: the group's own links.
std::set<std::string> direct_members(const std::set<std::string>& names) {
  std::set<std::string> members;
  for (const auto& name : names) members.insert(name.substr(0, name.find('/')));
  return members;
}

// Intermediate groups of names such as "mixture/mu", made small like the task group (HDF5 would
// make them with default settings).
void create_subgroups(hid_t group, const std::set<std::string>& names) {
  std::map<std::string, std::set<std::string>> children;  // "a/b" -> its members
  for (const auto& name : names)
    for (size_t slash = name.find('/'); slash != std::string::npos;
         slash = name.find('/', slash + 1)) {
      const size_t next = name.find('/', slash + 1);
      children[name.substr(0, slash)].insert(name.substr(slash + 1, next - slash - 1));
    }
  for (const auto& [path, members] : children) {  // parents sort before their children
    size_t bytes = 0;
    for (const auto& member : members) bytes += 24 + member.size();
    hdf5::create_group(group, path, members.size(), bytes);
  }
}

}  // namespace

void write_file_metadata(hid_t file, const RunMetadata& metadata, const char* format) {
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

RunMetadata read_file_metadata(hid_t file) {
  return metadata_from(hdf5::read_attributes(file));
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

  if (!record.result.summary.names.empty()) used.insert(kSummaryDataset);
  const std::string path = "/tasks/" + task.id;
  hdf5::Handle group =
      hdf5::create_group(file, path, direct_members(used).size(), header_bytes(record, used));
  create_subgroups(group.get(), used);
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

// Reads files of every format version; throws naming the file when it is none of riskstep's.
OpenedFile open_riskstep_file(const std::string& path, const char* format) {
  OpenedFile opened{hdf5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                               path + ": cannot open as an HDF5 file")};
  const auto attributes = hdf5::read_attributes(opened.file.get());
  const auto found = attributes.find(kFormatAttribute);
  const std::string* text =
      found == attributes.end() ? nullptr : std::get_if<std::string>(&found->second);
  const std::string prefix(format);
  const int first = prefix == kPartFormat ? 4 : 1,
            last = prefix == kTaskFileFormat ? 3 : kFormatVersion;
  for (int version = first; version <= last; ++version)
    if (text && *text == prefix + std::to_string(version)) {
      opened.version = version;
      return opened;
    }
  if (text && text->rfind(prefix, 0) == 0)
    throw std::runtime_error(path + ": " + *text + " is a format newer than this riskstep reads (" +
                             prefix + std::to_string(last) + "): use a newer riskstep");
  const std::string what = prefix == kTaskFileFormat ? "task"
                           : prefix == kPartFormat   ? "part"
                                                     : "results";
  throw std::runtime_error(path + ": not a riskstep " + what + " file (root attribute " +
                           kFormatAttribute + " is not " + prefix + std::to_string(first) + ".." +
                           std::to_string(last) + ")");
}

}  // namespace riskstep
