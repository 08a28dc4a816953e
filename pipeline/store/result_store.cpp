#include "pipeline/store/result_store.h"

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>

#include "pipeline/store/hdf5_image.h"
#include "pipeline/store/hdf5_io.h"
#include "pipeline/store/part_file.h"
#include "pipeline/store/record_digest.h"
#include "pipeline/store/summary_table.h"

namespace riskstep {

namespace {

constexpr const char* kDigestAttribute = "sha256";  // /summary of formats 2 and 3
constexpr const char* kBlockRows = "block_rows";    // /summary of format 4: rows per block
constexpr const char* kBlockDigests = "block_sha256";
constexpr const char* kPartsDataset = "/parts";  // a sweep index: its part files
constexpr const char* kIndexDataset = "/tasks";  // a sweep index: where each task's record is
constexpr size_t kSummaryBlockRows = 1 << 16;

std::vector<std::string> task_ids_in(hid_t file) {
  std::vector<std::string> ids;
  hdf5::Handle tasks = hdf5::group(H5Gopen2(file, "/tasks", H5P_DEFAULT), "/tasks");
  H5G_info_t info;
  hdf5::check(H5Gget_info(tasks.get(), &info), "/tasks");
  ids.reserve(info.nlinks);
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

hdf5::Handle create_tasks_group(hid_t file) {
  hdf5::Handle gcpl = hdf5::plist(H5Pcreate(H5P_GROUP_CREATE), "group creation property list");
  hdf5::check(H5Pset_obj_track_times(gcpl.get(), 0), "group times");
  return hdf5::group(H5Gcreate2(file, "/tasks", H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                     "group /tasks");
}

void write_string_list(hid_t file, const std::string& path, const std::vector<std::string>& list) {
  hdf5::write_column(file, path, Column(list));
}

template <typename T>
void write_array_attribute(hid_t object, const char* name, hid_t file_type, hid_t memory_type,
                           const std::vector<T>& values) {
  const hsize_t n = values.size();
  hdf5::Handle space = hdf5::dataspace(H5Screate_simple(1, &n, nullptr), name);
  hdf5::Handle attribute = hdf5::attribute(
      H5Acreate2(object, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), name);
  hdf5::check(H5Awrite(attribute.get(), memory_type, values.data()), name);
}

// /summary written block by block, each block's digest (record_digest.h) kept in attributes.
void write_summary(hid_t file, const Table& schema,
                   const std::function<bool(Table& block)>& next_block,
                   const std::vector<size_t>& text_sizes = {}) {
  if (schema.names.empty()) return;
  hdf5::TableAppender summary(file, "/summary", schema, text_sizes);
  std::vector<int64_t> rows;
  std::vector<std::string> digests;
  for (Table block; next_block(block);) {
    if (block.rows() == 0) continue;
    summary.append(block);
    rows.push_back(static_cast<int64_t>(block.rows()));
    digests.push_back(table_digest(block));
  }
  write_array_attribute(summary.dataset(), kBlockRows, H5T_STD_I64LE, H5T_NATIVE_INT64, rows);
  hdf5::Handle text = hdf5::datatype(H5Tcopy(H5T_C_S1), "string type");
  hdf5::check(H5Tset_size(text.get(), H5T_VARIABLE), "string type");
  hdf5::check(H5Tset_cset(text.get(), H5T_CSET_UTF8), "string type");
  std::vector<const char*> pointers;
  for (const auto& digest : digests) pointers.push_back(digest.c_str());
  write_array_attribute(summary.dataset(), kBlockDigests, text.get(), text.get(), pointers);
}

std::vector<int64_t> read_int_array_attribute(hid_t object, const char* name) {
  hdf5::Handle attribute = hdf5::attribute(H5Aopen(object, name, H5P_DEFAULT), name);
  hdf5::Handle space = hdf5::dataspace(H5Aget_space(attribute.get()), name);
  std::vector<int64_t> values(static_cast<size_t>(H5Sget_simple_extent_npoints(space.get())));
  hdf5::check(H5Aread(attribute.get(), H5T_NATIVE_INT64, values.data()), name);
  return values;
}

std::vector<std::string> read_string_array_attribute(hid_t object, const char* name) {
  hdf5::Handle attribute = hdf5::attribute(H5Aopen(object, name, H5P_DEFAULT), name);
  hdf5::Handle space = hdf5::dataspace(H5Aget_space(attribute.get()), name);
  hdf5::Handle text = hdf5::datatype(H5Tcopy(H5T_C_S1), "string type");
  hdf5::check(H5Tset_size(text.get(), H5T_VARIABLE), "string type");
  std::vector<char*> raw(static_cast<size_t>(H5Sget_simple_extent_npoints(space.get())));
  hdf5::check(H5Aread(attribute.get(), text.get(), raw.data()), name);
  std::vector<std::string> values;
  for (char* value : raw) values.emplace_back(value ? value : "");
  H5Dvlen_reclaim(text.get(), space.get(), H5P_DEFAULT, raw.data());
  return values;
}

// Format 4: every block's digest; formats 2 and 3: one digest of the whole table.
void verify_summary(hid_t dataset, const Table& summary, int version) {
  if (version < 2) return;
  const std::string mismatch =
      "/summary: checksum mismatch (the file changed after it was written)";
  if (version < 4) {
    const auto attributes = hdf5::read_attributes(dataset);
    const auto digest = attributes.find(kDigestAttribute);
    if (digest == attributes.end() || digest->second != AttributeValue(table_digest(summary)))
      throw std::runtime_error(mismatch);
    return;
  }
  const std::vector<int64_t> rows = read_int_array_attribute(dataset, kBlockRows);
  const std::vector<std::string> digests = read_string_array_attribute(dataset, kBlockDigests);
  if (rows.size() != digests.size()) throw std::runtime_error(mismatch);
  size_t at = 0;
  for (size_t b = 0; b < rows.size(); ++b) {
    if (rows[b] <= 0 || at + size_t(rows[b]) > summary.rows()) throw std::runtime_error(mismatch);
    std::vector<size_t> block(static_cast<size_t>(rows[b]));
    for (size_t& row : block) row = at++;
    if (table_digest(summary.rows_at(block)) != digests[b]) throw std::runtime_error(mismatch);
  }
  if (at != summary.rows()) throw std::runtime_error(mismatch);
}

// The part files an index names (none for a self-contained file).
std::vector<std::string> listed_parts(hid_t file) {
  if (H5Lexists(file, kPartsDataset, H5P_DEFAULT) <= 0) return {};
  hdf5::Handle ds = hdf5::dataset(H5Dopen2(file, kPartsDataset, H5P_DEFAULT), kPartsDataset);
  return std::get<std::vector<std::string>>(hdf5::read_column(ds.get()));
}

// A sweep's index (format 4) has /tasks as a dataset; a self-contained file has it as a group.
bool is_index(hid_t file) {
  H5O_info_t info;
  return H5Lexists(file, kIndexDataset, H5P_DEFAULT) > 0 &&
         H5Oget_info_by_name2(file, kIndexDataset, &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 &&
         info.type == H5O_TYPE_DATASET;
}

// The records an index points to, in its order: each part read once.
std::vector<TaskRecord> read_indexed_records(hid_t file, const std::string& results_path) {
  const std::vector<std::string> parts = listed_parts(file);
  hdf5::Handle ds = hdf5::dataset(H5Dopen2(file, kIndexDataset, H5P_DEFAULT), kIndexDataset);
  const Table index = hdf5::read_table(ds.get());
  const auto& ids = std::get<std::vector<std::string>>(index.column("task_id"));
  const auto& part_of = std::get<std::vector<int64_t>>(index.column("part"));
  const auto& row_of = std::get<std::vector<int64_t>>(index.column("row"));
  const std::filesystem::path dir = std::filesystem::path(results_path).parent_path();
  std::vector<TaskRecord> records(ids.size());
  for (size_t p = 0; p < parts.size(); ++p) {
    std::vector<TaskRecord> held = read_part_file((dir / parts[p]).string());
    for (size_t k = 0; k < ids.size(); ++k) {
      if (part_of[k] != static_cast<int64_t>(p)) continue;
      const size_t row = static_cast<size_t>(row_of[k]);
      if (row >= held.size() || held[row].task.id != ids[k])
        throw std::runtime_error(results_path + ": task " + ids[k] + ": not at row " +
                                 std::to_string(row) + " of " + parts[p]);
      records[k] = std::move(held[row]);
    }
  }
  for (size_t k = 0; k < ids.size(); ++k)
    if (part_of[k] < 0 || part_of[k] >= static_cast<int64_t>(parts.size()))
      throw std::runtime_error(results_path + ": task " + ids[k] + ": no such part");
  return records;
}

}  // namespace

void write_results_file(const std::string& path, const RunMetadata& metadata,
                        const std::vector<TaskRecord>& records) {
  hdf5::QuietErrors quiet;
  hdf5::write_file_whole(path, [&](hid_t file) {
    write_file_metadata(file, metadata, kResultsFormat);
    hdf5::Handle tasks = create_tasks_group(file);
    for (const auto& record : records) write_task_group(file, record);
    const Table summary = summary_table(records);
    size_t next = 0;
    write_summary(file, summary.rows_at({}), [&](Table& block) {
      std::vector<size_t> rows;
      for (; next < summary.rows() && rows.size() < kSummaryBlockRows; ++next) rows.push_back(next);
      block = summary.rows_at(rows);
      return !rows.empty();
    });
  });
}

void write_results_index(const std::string& path, const RunMetadata& metadata,
                         const IndexContents& contents) {
  hdf5::QuietErrors quiet;
  hdf5::write_file_whole(path, [&](hid_t file) {
    write_file_metadata(file, metadata, kResultsFormat);
    write_string_list(file, kPartsDataset, contents.parts);
    Table block;
    block.add("task_id", std::vector<std::string>{})
        .add("part", std::vector<int64_t>{})
        .add("row", std::vector<int64_t>{});
    hdf5::TableAppender index(file, kIndexDataset, block, {16});  // ids: 16 hex digits
    std::string id;
    size_t part = 0, row = 0;
    for (bool more = true; more;) {
      more = contents.next_link(id, part, row);
      if (more) {
        std::get<std::vector<std::string>>(block.columns[0]).push_back(id);
        std::get<std::vector<int64_t>>(block.columns[1]).push_back(static_cast<int64_t>(part));
        std::get<std::vector<int64_t>>(block.columns[2]).push_back(static_cast<int64_t>(row));
      }
      if (block.rows() == kSummaryBlockRows || (!more && block.rows() > 0)) {
        index.append(block);
        block = block.rows_at({});
      }
    }
    write_summary(file, contents.summary_schema, contents.next_summary_block,
                  contents.summary_text_sizes);
  });
}

std::vector<TaskRecord> read_results_file(const std::string& results_path) {
  hdf5::QuietErrors quiet;
  OpenedFile opened = open_riskstep_file(results_path, kResultsFormat);
  if (is_index(opened.file.get())) return read_indexed_records(opened.file.get(), results_path);
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

void verify_results_file(const std::string& results_path) {
  std::vector<std::string> parts;
  {
    hdf5::QuietErrors quiet;
    OpenedFile opened = open_riskstep_file(results_path, kResultsFormat);
    parts = listed_parts(opened.file.get());
  }
  if (parts.empty()) {
    read_results_file(results_path);
    read_summary_table(results_path);
    return;
  }
  std::filesystem::path dir = std::filesystem::path(results_path).parent_path();
  if (dir.empty()) dir = ".";
  for (const auto& part : parts)
    if (!part_file_intact((dir / part).string()))
      throw std::runtime_error(results_path + ": its part " + (dir / part).string() +
                               ": checksum mismatch or missing (it changed after it was "
                               "written): run riskstep sweep --merge-only on " +
                               dir.string() + " to write it again from the record logs");
  read_summary_table(results_path);
}

RunMetadata read_run_metadata(const std::string& path) {
  hdf5::QuietErrors quiet;
  hdf5::Handle file = hdf5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                                 path + ": cannot open as an HDF5 file");
  try {
    return read_file_metadata(file.get());
  } catch (const std::exception& error) {
    throw std::runtime_error(path + ": not a riskstep file: " + error.what());
  }
}

Table read_summary_table(const std::string& results_path) {
  hdf5::QuietErrors quiet;
  OpenedFile opened = open_riskstep_file(results_path, kResultsFormat);
  const hid_t file = opened.file.get();
  if (H5Lexists(file, "/summary", H5P_DEFAULT) <= 0) return Table{};  // no ok task rows
  hdf5::Handle ds =
      hdf5::dataset(H5Dopen2(file, "/summary", H5P_DEFAULT), results_path + ": /summary");
  try {
    Table summary = hdf5::read_table(ds.get());
    verify_summary(ds.get(), summary, opened.version);
    return summary;
  } catch (const std::exception& error) {
    throw std::runtime_error(results_path + ": " + error.what());
  }
}

}  // namespace riskstep
