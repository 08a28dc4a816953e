#include "pipeline/store/packed_tasks.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>
#include <limits>
#include <set>
#include <stdexcept>

#include "pipeline/store/hdf5_handle.h"
#include "pipeline/store/hdf5_io.h"
#include "pipeline/store/summary_table.h"

namespace riskstep {

namespace {

constexpr size_t kBlockRecords = 4096;   // records buffered between appends
constexpr const char* kValue = "value";  // the one column of a column's or matrix's buffer
constexpr const char* kSummary = "summary";
const char* const kSections[] = {"columns", "matrices", "tables"};

using Strings = std::vector<std::string>;
using Integers = std::vector<int64_t>;

Table one_column(Column column) {
  Table table;
  table.add(kValue, std::move(column));
  return table;
}

std::string attributes_json(const std::map<std::string, AttributeValue>& attributes) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : attributes)
    std::visit([&, &name = name](const auto& v) { object[name] = v; }, value);
  return object.dump();
}

std::map<std::string, AttributeValue> attributes_from_json(const std::string& text) {
  std::map<std::string, AttributeValue> attributes;
  const nlohmann::json object = nlohmann::json::parse(text);  // items() does not own it
  for (const auto& [name, value] : object.items()) {
    if (value.is_null())  // JSON has no NaN: nlohmann writes non-finite doubles as null
      attributes[name] = std::numeric_limits<double>::quiet_NaN();
    else if (value.is_number_integer())
      attributes[name] = value.get<int64_t>();
    else if (value.is_number())
      attributes[name] = value.get<double>();
    else
      attributes[name] = value.get<std::string>();
  }
  return attributes;
}

Table task_row(const TaskRecord& record) {
  const Task& task = record.task;
  Table row;
  row.add("task_id", Strings{task.id})
      .add("kind", Strings{task.kind})
      .add("parameters", Strings{canonical_json(task.kind, task.params)})
      .add("run_settings", Strings{params_json(task.run_settings)})
      .add("input_sha256", Strings{task.input_sha256})
      .add("seed", Integers{static_cast<int64_t>(task.seed)})
      .add("ranks", Integers{task.ranks})
      .add("status", Strings{record.status})
      .add("error", Strings{record.error})
      .add("wall_seconds", std::vector<double>{record.wall_seconds})
      .add("rank", Integers{record.rank})
      .add("host", Strings{record.host})
      .add("attributes", Strings{attributes_json(record.result.attributes)});
  return row;
}

const std::string& text_cell(const Table& table, const char* name, size_t row) {
  return std::get<Strings>(table.column(name)).at(row);
}

int64_t integer_cell(const Table& table, const char* name, size_t row) {
  return std::get<Integers>(table.column(name)).at(row);
}

TaskRecord record_of_row(const Table& tasks, size_t k) {
  TaskRecord record;
  record.task.id = text_cell(tasks, "task_id", k);
  record.task.kind = text_cell(tasks, "kind", k);
  record.task.params = params_from_json(
      nlohmann::json::parse(text_cell(tasks, "parameters", k)).at("params").dump());
  record.task.run_settings = params_from_json(text_cell(tasks, "run_settings", k));
  record.task.input_sha256 = text_cell(tasks, "input_sha256", k);
  record.task.seed = static_cast<uint64_t>(integer_cell(tasks, "seed", k));
  record.task.ranks = static_cast<int>(integer_cell(tasks, "ranks", k));
  record.status = text_cell(tasks, "status", k);
  record.error = text_cell(tasks, "error", k);
  record.wall_seconds = std::get<std::vector<double>>(tasks.column("wall_seconds")).at(k);
  record.rank = static_cast<int>(integer_cell(tasks, "rank", k));
  record.host = text_cell(tasks, "host", k);
  record.result.attributes = attributes_from_json(text_cell(tasks, "attributes", k));
  return record;
}

void check_names(const TaskRecord& record) {
  std::set<std::string> used;
  auto reserve = [&](const std::string& name) {
    if (name == kSummary || !used.insert(name).second)
      throw std::invalid_argument("task " + record.task.id + ": result name '" + name +
                                  "' is used twice or reserved");
  };
  for (const auto& [name, c] : record.result.columns) reserve(name);
  for (const auto& [name, m] : record.result.matrices) reserve(name);
  for (const auto& [name, t] : record.result.tables) reserve(name);
}

// A record's columns and their types (Column::index()), [["name", type], ...]: what it is read
// back as where records of one part differ (the stored union would add columns and widen types).
std::string schema_json(const Table& rows) {
  nlohmann::json schema = nlohmann::json::array();
  for (size_t c = 0; c < rows.names.size(); ++c)
    schema.push_back({rows.names[c], rows.columns[c].index()});
  return schema.dump();
}

// A stored (widened) column back as the type a record gave it.
Column narrowed(const Column& stored, size_t type) {
  if (stored.index() == type) return stored;
  const size_t n = column_size(stored);
  if (type == 1) {
    Integers values(n);
    for (size_t k = 0; k < n; ++k)
      values[k] = stored.index() == 0 ? static_cast<int64_t>(std::get<0>(stored)[k])
                                      : std::stoll(std::get<Strings>(stored)[k]);
    return values;
  }
  if (type == 0) {
    std::vector<double> values(n);
    for (size_t k = 0; k < n; ++k) values[k] = std::stod(std::get<Strings>(stored)[k]);
    return values;
  }
  return stored;
}

// The record's own columns of `rows` (the stored union), by its schema_json.
Table as_recorded(const Table& rows, const std::string& schema) {
  Table own;
  for (const auto& column : nlohmann::json::parse(schema))
    own.add(column.at(0).get<std::string>(),
            narrowed(rows.column(column.at(0).get<std::string>()), column.at(1).get<size_t>()));
  return own;
}

Column slice(const Column& column, size_t from, size_t to) {
  return std::visit(
      [&](const auto& values) -> Column {
        using Values = std::decay_t<decltype(values)>;
        return Values(values.begin() + from, values.begin() + to);
      },
      column);
}

}  // namespace

struct PackedTasksWriter::Item {
  size_t section = 0;  // index into kSections
  std::string name;
  Table buffer;  // the union of the records' schemas, then the rows buffered
  Integers start{0}, cols, present;
  bool all_present = true;
  bool seen_col_names = false, shared_col_names = true;
  Strings col_names;                      // a matrix's, when all records share them
  Strings col_names_json;                 // a matrix's, per record
  std::map<std::string, size_t> longest;  // bytes of the longest string of a text column
  std::set<std::string> not_text;         // columns with numbers in some record
  std::string first_schema;               // the first record's columns and types
  bool uniform = true;                    // every record's are those
  Strings schemas;                        // per record, kept when they are not uniform
  std::unique_ptr<hdf5::TableAppender> table;
  std::unique_ptr<hdf5::ColumnAppender> column;

  std::string path() const { return std::string("/") + kSections[section] + "/" + name; }
  void widen(const Table& rows) {
    append_rows_union(buffer, rows.rows_at({}));
    const std::string schema = schema_json(rows);
    if (first_schema.empty()) first_schema = schema;
    uniform = uniform && schema == first_schema;
    for (size_t c = 0; c < rows.names.size(); ++c) {
      const auto* texts = std::get_if<Strings>(&rows.columns[c]);
      if (!texts) not_text.insert(rows.names[c]);
      size_t& size = longest[rows.names[c]];
      if (texts)
        for (const auto& text : *texts) size = std::max(size, text.size());
    }
  }
  // Strings of fixed size where every record's were strings (numbers turned into strings by the
  // union rules are not measured), so deflate shrinks them.
  std::vector<size_t> text_sizes() const {
    std::vector<size_t> sizes;
    for (size_t c = 0; c < buffer.names.size(); ++c) {
      const bool text =
          std::holds_alternative<Strings>(buffer.columns[c]) && !not_text.count(buffer.names[c]);
      sizes.push_back(text ? std::max<size_t>(longest.at(buffer.names[c]), 1) : 0);
    }
    return sizes;
  }
  void open(hid_t file, const std::string& at) {
    if (table || column) return;
    if (section == 2)
      table = std::make_unique<hdf5::TableAppender>(file, at, buffer, text_sizes());
    else
      column = std::make_unique<hdf5::ColumnAppender>(file, at, buffer.columns.at(0).index(),
                                                      text_sizes().at(0));
  }
};

PackedTasksWriter::PackedTasksWriter() = default;
PackedTasksWriter::~PackedTasksWriter() = default;

void PackedTasksWriter::observe(const TaskRecord& record) {
  check_names(record);
  auto item = [&](size_t section, const std::string& name) -> Item& {
    auto& slot = items_[std::string(kSections[section]) + "/" + name];
    if (!slot) slot = std::make_unique<Item>(), slot->section = section, slot->name = name;
    return *slot;
  };
  for (const auto& [name, column] : record.result.columns) item(0, name).widen(one_column(column));
  for (const auto& [name, matrix] : record.result.matrices) {
    Item& it = item(1, name);
    it.widen(one_column(std::vector<double>{}));
    if (it.seen_col_names && it.col_names != matrix.col_names) it.shared_col_names = false;
    it.seen_col_names = true, it.col_names = matrix.col_names;
  }
  for (const auto& [name, table] : record.result.tables)
    if (!table.names.empty()) item(2, name).widen(table);
  if (!record.result.summary.names.empty()) item(2, kSummary).widen(record.result.summary);
  if (!tasks_) tasks_ = std::make_unique<Item>(), tasks_->section = 2;
  tasks_->widen(task_row(record));
}

void PackedTasksWriter::append(hid_t file, const TaskRecord& record) {
  const Result& result = record.result;
  for (auto& [key, item] : items_) {
    Table rows;
    int64_t width = 0;
    std::string names_json = "[]";
    if (item->section == 0) {
      if (auto it = result.columns.find(item->name); it != result.columns.end())
        rows = one_column(it->second);
    } else if (item->section == 1) {
      if (auto it = result.matrices.find(item->name); it != result.matrices.end()) {
        rows = one_column(it->second.values);
        width = static_cast<int64_t>(it->second.cols);
        names_json = nlohmann::json(it->second.col_names).dump();
      }
    } else if (item->name == kSummary) {
      rows = result.summary;
    } else if (auto it = result.tables.find(item->name); it != result.tables.end()) {
      rows = it->second;
    }
    const bool present = !rows.names.empty();
    if (present) append_rows_union(item->buffer, rows);
    if (!item->uniform) item->schemas.push_back(present ? schema_json(rows) : "[]");
    item->start.push_back(item->start.back() + static_cast<int64_t>(rows.rows()));
    item->present.push_back(present ? 1 : 0);
    item->all_present = item->all_present && present;
    if (item->section == 1) item->cols.push_back(width), item->col_names_json.push_back(names_json);
  }
  if (!tasks_) throw std::logic_error("PackedTasksWriter: a record appended, none observed");
  append_rows_union(tasks_->buffer, task_row(record));
  if (++buffered_ == kBlockRecords) flush(file);
}

void PackedTasksWriter::flush(hid_t file) {
  for (auto& [key, item] : items_) {
    item->open(file, item->path() + "/values");
    if (item->buffer.rows() == 0) continue;
    if (item->table)
      item->table->append(item->buffer);
    else
      item->column->append(item->buffer.columns.at(0));
    item->buffer = item->buffer.rows_at({});
  }
  if (!tasks_) tasks_ = std::make_unique<Item>(), tasks_->section = 2, tasks_->widen(task_row({}));
  tasks_->open(file, "/tasks");
  tasks_->table->append(tasks_->buffer);
  tasks_->buffer = tasks_->buffer.rows_at({});
  buffered_ = 0;
}

void PackedTasksWriter::finish(hid_t file) {
  flush(file);
  for (auto& [key, item] : items_) {
    hdf5::write_column(file, item->path() + "/start", item->start);
    if (!item->all_present) hdf5::write_column(file, item->path() + "/present", item->present);
    if (!item->uniform) hdf5::write_column(file, item->path() + "/schema_json", item->schemas);
    if (item->section != 1) continue;
    hdf5::write_column(file, item->path() + "/cols", item->cols);
    if (item->shared_col_names)
      hdf5::write_column(file, item->path() + "/col_names", item->col_names);
    else
      hdf5::write_column(file, item->path() + "/col_names_json", item->col_names_json);
  }
}

namespace {

struct ItemSearch {
  std::vector<std::string> names;  // of the items: the paths holding a `start` dataset
  std::exception_ptr error;
};

// H5Ovisit's callback; no exception may unwind through HDF5's C frames.
herr_t find_items(hid_t, const char* name, const H5O_info_t* info, void* data) {
  auto* search = static_cast<ItemSearch*>(data);
  try {
    const std::string path = name;
    const std::string leaf = "start";
    if (info->type == H5O_TYPE_DATASET && path.size() >= leaf.size() &&
        path.compare(path.size() - leaf.size(), leaf.size(), leaf) == 0 &&
        (path.size() == leaf.size() || path[path.size() - leaf.size() - 1] == '/'))
      search->names.push_back(
          path.size() == leaf.size() ? "" : path.substr(0, path.size() - leaf.size() - 1));
  } catch (...) {
    search->error = std::current_exception();
    return -1;
  }
  return 0;
}

Column read_column_at(hid_t file, const std::string& path) {
  hdf5::Handle ds = hdf5::dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), path);
  return hdf5::read_column(ds.get());
}

bool exists(hid_t file, const std::string& path) {
  return H5Lexists(file, path.c_str(), H5P_DEFAULT) > 0;
}

void read_item(hid_t file, size_t section, const std::string& name,
               std::vector<TaskRecord>& records) {
  const std::string path = std::string("/") + kSections[section] + "/" + name;
  const Integers start = std::get<Integers>(read_column_at(file, path + "/start"));
  if (start.size() != records.size() + 1)
    throw std::runtime_error(path + "/start: expected one more value than /tasks has rows");
  Integers present(records.size(), 1);
  if (exists(file, path + "/present"))
    present = std::get<Integers>(read_column_at(file, path + "/present"));
  Table table;
  Column values;
  if (section == 2) {
    hdf5::Handle ds = hdf5::dataset(H5Dopen2(file, (path + "/values").c_str(), H5P_DEFAULT), path);
    table = hdf5::read_table(ds.get());
  } else {
    values = read_column_at(file, path + "/values");
  }
  Strings schemas;  // per record, where they differ
  if (exists(file, path + "/schema_json"))
    schemas = std::get<Strings>(read_column_at(file, path + "/schema_json"));
  Integers cols;
  Strings shared_names, names_json;
  if (section == 1) {
    cols = std::get<Integers>(read_column_at(file, path + "/cols"));
    if (exists(file, path + "/col_names"))
      shared_names = std::get<Strings>(read_column_at(file, path + "/col_names"));
    else
      names_json = std::get<Strings>(read_column_at(file, path + "/col_names_json"));
  }
  for (size_t k = 0; k < records.size(); ++k) {
    if (!present.at(k)) continue;
    const size_t from = static_cast<size_t>(start[k]), to = static_cast<size_t>(start[k + 1]);
    Result& result = records[k].result;
    if (section == 0) {
      const Column own = slice(values, from, to);
      result.columns[name] =
          schemas.empty() ? own : as_recorded(one_column(own), schemas.at(k)).columns.at(0);
    } else if (section == 1) {
      Matrix& matrix = result.matrices[name];
      matrix.values = std::get<std::vector<double>>(slice(values, from, to));
      matrix.cols = static_cast<size_t>(cols.at(k));
      matrix.rows = matrix.cols == 0 ? 0 : matrix.values.size() / matrix.cols;
      matrix.col_names = names_json.empty()
                             ? shared_names
                             : nlohmann::json::parse(names_json.at(k)).get<Strings>();
    } else {
      std::vector<size_t> rows;
      for (size_t r = from; r < to; ++r) rows.push_back(r);
      const Table own = table.rows_at(rows);
      (name == kSummary ? result.summary : result.tables[name]) =
          schemas.empty() ? own : as_recorded(own, schemas.at(k));
    }
  }
}

}  // namespace

std::vector<TaskRecord> read_packed_tasks(hid_t file) {
  hdf5::Handle ds = hdf5::dataset(H5Dopen2(file, "/tasks", H5P_DEFAULT), "/tasks");
  const Table tasks = hdf5::read_table(ds.get());
  std::vector<TaskRecord> records;
  records.reserve(tasks.rows());
  for (size_t k = 0; k < tasks.rows(); ++k) records.push_back(record_of_row(tasks, k));
  for (size_t section = 0; section < 3; ++section) {
    const std::string group_path = std::string("/") + kSections[section];
    if (!exists(file, group_path)) continue;
    hdf5::Handle group = hdf5::group(H5Gopen2(file, group_path.c_str(), H5P_DEFAULT), group_path);
    ItemSearch search;
    const herr_t visited =
        H5Ovisit2(group.get(), H5_INDEX_NAME, H5_ITER_INC, find_items, &search, H5O_INFO_BASIC);
    if (search.error) std::rethrow_exception(search.error);
    hdf5::check(visited, group_path);
    for (const auto& name : search.names) read_item(file, section, name, records);
  }
  return records;
}

}  // namespace riskstep
