#include "pipeline/store/hdf5_io.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "pipeline/store/hdf5_handle.h"

namespace riskstep::hdf5 {

namespace {

Handle utf8_string_type() {
  Handle type = datatype(H5Tcopy(H5T_C_S1), "string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "string type size");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type charset");
  return type;
}

Handle fixed_string_type(size_t size, const std::string& what) {
  Handle type = datatype(H5Tcopy(H5T_C_S1), what);
  check(H5Tset_size(type.get(), size), what);
  check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), what);
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), what);
  return type;
}

// A fixed-size string's text: up to its first NUL.
std::string fixed_text(const char* data, size_t size) {
  return std::string(data, strnlen(data, size));
}

Handle link_plist() {
  Handle plist_id = plist(H5Pcreate(H5P_LINK_CREATE), "link property list");
  check(H5Pset_create_intermediate_group(plist_id.get(), 1), "intermediate groups");
  return plist_id;
}

Handle simple_space(std::initializer_list<hsize_t> dims, const std::string& what) {
  std::vector<hsize_t> d(dims);
  return dataspace(H5Screate_simple(static_cast<int>(d.size()), d.data(), nullptr), what);
}

std::vector<const char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<const char*> pointers;
  pointers.reserve(strings.size());
  for (const auto& s : strings) pointers.push_back(s.c_str());
  return pointers;
}

// Reads variable-length strings (memory type `type`) and frees HDF5's buffers.
std::vector<std::string> take_strings(std::vector<char*>& raw, hid_t type, hid_t space) {
  std::vector<std::string> strings;
  strings.reserve(raw.size());
  for (char* s : raw) strings.emplace_back(s ? s : "");
  H5Dvlen_reclaim(type, space, transfer_plist(), raw.data());
  return strings;
}

// Data this small lives in the dataset's object header (HDF5's compact layout, limit 64 kB):
// no separate block, no B-tree. Larger data is contiguous.
constexpr size_t kCompactBytes = 16 << 10;

Handle dataset_at(hid_t parent, const std::string& path, hid_t file_type, hid_t space,
                  bool with_attributes = false) {
  Handle lcpl = link_plist();
  Handle dcpl = plist(H5Pcreate(H5P_DATASET_CREATE), "dataset creation property list");
  check(H5Pset_obj_track_times(dcpl.get(), 0), "dataset times");
  const hssize_t points = H5Sget_simple_extent_npoints(space);
  if (points > 0 && size_t(points) * H5Tget_size(file_type) <= kCompactBytes)
    check(H5Pset_layout(dcpl.get(), H5D_COMPACT), "compact layout");
  // Headers sized for no attributes, unless some follow (a matrix's col_names).
  if (!with_attributes) check(H5Pset_dset_no_attrs_hint(dcpl.get(), 1), "attribute hint");
  return dataset(
      H5Dcreate2(parent, path.c_str(), file_type, space, lcpl.get(), dcpl.get(), H5P_DEFAULT),
      "create dataset '" + path + "'");
}

hsize_t dims_1d(hid_t dataset_id, const std::string& what) {
  Handle space = dataspace(H5Dget_space(dataset_id), what);
  if (H5Sget_simple_extent_ndims(space.get()) != 1)
    throw std::runtime_error(what + ": expected a 1-D dataset");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space.get(), &n, nullptr);
  return n;
}

std::string object_name(hid_t object) {
  const ssize_t n = H5Iget_name(object, nullptr, 0);
  if (n <= 0) return "?";
  std::string name(static_cast<size_t>(n), '\0');
  H5Iget_name(object, name.data(), name.size() + 1);
  return name;
}

}  // namespace

hid_t transfer_plist() {
  static const hid_t transfer = [] {
    const hid_t id = H5Pcreate(H5P_DATASET_XFER);
    if (id < 0 || H5Pset_buffer(id, 64 << 10, nullptr, nullptr) < 0)
      throw std::runtime_error("dataset transfer property list: HDF5 call failed");
    return id;
  }();
  return transfer;
}

Handle create_group(hid_t parent, const std::string& path, size_t links, size_t header_bytes) {
  Handle lcpl = link_plist();
  Handle gcpl = plist(H5Pcreate(H5P_GROUP_CREATE), "group creation property list");
  check(H5Pset_obj_track_times(gcpl.get(), 0), "group times");
  // Links and attributes stay in the object header (no fractal heap and B-tree for a few dozen).
  check(H5Pset_link_phase_change(gcpl.get(), kCompactMembers, kCompactMembers - 1), "links");
  check(H5Pset_attr_phase_change(gcpl.get(), kCompactMembers, kCompactMembers - 1), "attributes");
  // The first header chunk sized for everything (HDF5 spreads what does not fit over
  // continuation chunks with space left over): the link estimate is how it is asked for.
  const size_t estimated = std::max<size_t>(1, std::min<size_t>(links, kCompactMembers));
  check(H5Pset_est_link_info(
            gcpl.get(), static_cast<unsigned>(estimated),
            static_cast<unsigned>(std::clamp<size_t>(header_bytes / estimated, 16, 60000))),
        "link estimate");
  return group(H5Gcreate2(parent, path.c_str(), lcpl.get(), gcpl.get(), H5P_DEFAULT),
               "create group '" + path + "'");
}

void write_attribute(hid_t object, const std::string& name, const AttributeValue& value) {
  const std::string what = "attribute '" + name + "'";
  Handle space = dataspace(H5Screate(H5S_SCALAR), what);
  if (const auto* d = std::get_if<double>(&value)) {
    Handle a = attribute(
        H5Acreate2(object, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
        what);
    check(H5Awrite(a.get(), H5T_NATIVE_DOUBLE, d), what);
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    Handle a = attribute(
        H5Acreate2(object, name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
        what);
    check(H5Awrite(a.get(), H5T_NATIVE_INT64, i), what);
  } else {
    Handle type = utf8_string_type();
    Handle a = attribute(
        H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), what);
    const char* text = std::get<std::string>(value).c_str();
    check(H5Awrite(a.get(), type.get(), &text), what);
  }
}

std::map<std::string, AttributeValue> read_attributes(hid_t object) {
  std::map<std::string, AttributeValue> attributes;
  H5O_info_t info;
  check(H5Oget_info2(object, &info, H5O_INFO_NUM_ATTRS), "object info");
  for (hsize_t index = 0; index < info.num_attrs; ++index) {
    Handle a = attribute(
        H5Aopen_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, index, H5P_DEFAULT, H5P_DEFAULT),
        "attribute #" + std::to_string(index));
    const ssize_t name_size = H5Aget_name(a.get(), 0, nullptr);
    std::string name(static_cast<size_t>(name_size), '\0');
    H5Aget_name(a.get(), name.size() + 1, name.data());
    Handle type = datatype(H5Aget_type(a.get()), "attribute '" + name + "' type");
    Handle space = dataspace(H5Aget_space(a.get()), "attribute '" + name + "' space");
    if (H5Sget_simple_extent_npoints(space.get()) != 1) continue;  // arrays (e.g. col_names)
    switch (H5Tget_class(type.get())) {
      case H5T_FLOAT: {
        double v = 0;
        check(H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v), name);
        attributes[name] = v;
        break;
      }
      case H5T_INTEGER: {
        int64_t v = 0;
        check(H5Aread(a.get(), H5T_NATIVE_INT64, &v), name);
        attributes[name] = v;
        break;
      }
      case H5T_STRING: {
        if (H5Tis_variable_str(type.get()) > 0) {
          Handle memory = utf8_string_type();
          std::vector<char*> raw(1, nullptr);
          check(H5Aread(a.get(), memory.get(), raw.data()), name);
          attributes[name] = take_strings(raw, memory.get(), space.get()).front();
        } else {
          std::string v(H5Tget_size(type.get()), '\0');
          check(H5Aread(a.get(), type.get(), v.data()), name);
          attributes[name] = std::string(v.c_str());
        }
        break;
      }
      default:
        break;  // not one of ours: ignored
    }
  }
  return attributes;
}

void write_column(hid_t parent, const std::string& path, const Column& column) {
  const std::string what = "column '" + path + "'";
  Handle space = simple_space({column_size(column)}, what);
  if (const auto* d = std::get_if<std::vector<double>>(&column)) {
    Handle ds = dataset_at(parent, path, H5T_IEEE_F64LE, space.get());
    check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, transfer_plist(), d->data()),
          what);
  } else if (const auto* i = std::get_if<std::vector<int64_t>>(&column)) {
    Handle ds = dataset_at(parent, path, H5T_STD_I64LE, space.get());
    check(H5Dwrite(ds.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, transfer_plist(), i->data()),
          what);
  } else {
    Handle type = utf8_string_type();
    Handle ds = dataset_at(parent, path, type.get(), space.get());
    auto pointers = c_strings(std::get<std::vector<std::string>>(column));
    check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, transfer_plist(), pointers.data()),
          what);
  }
}

Column read_column(hid_t ds) {
  const std::string what = "dataset " + object_name(ds);
  const hsize_t n = dims_1d(ds, what);
  Handle type = datatype(H5Dget_type(ds), what);
  switch (H5Tget_class(type.get())) {
    case H5T_FLOAT: {
      std::vector<double> v(n);
      check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, transfer_plist(), v.data()), what);
      return v;
    }
    case H5T_INTEGER: {
      std::vector<int64_t> v(n);
      check(H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, transfer_plist(), v.data()), what);
      return v;
    }
    case H5T_STRING: {
      if (H5Tis_variable_str(type.get()) <= 0) {
        const size_t size = H5Tget_size(type.get());
        Handle memory = fixed_string_type(size, what);
        std::vector<char> raw(n * size);
        check(H5Dread(ds, memory.get(), H5S_ALL, H5S_ALL, transfer_plist(), raw.data()), what);
        std::vector<std::string> v(n);
        for (hsize_t k = 0; k < n; ++k) v[k] = fixed_text(&raw[k * size], size);
        return v;
      }
      Handle memory = utf8_string_type();
      Handle space = dataspace(H5Dget_space(ds), what);
      std::vector<char*> raw(n, nullptr);
      check(H5Dread(ds, memory.get(), H5S_ALL, H5S_ALL, transfer_plist(), raw.data()), what);
      return take_strings(raw, memory.get(), space.get());
    }
    default:
      throw std::runtime_error(what + ": expected double, int64 or string values");
  }
}

void write_matrix(hid_t parent, const std::string& path, const Matrix& matrix) {
  const std::string what = "matrix '" + path + "'";
  if (matrix.values.size() != matrix.rows * matrix.cols)
    throw std::invalid_argument(what + ": " + std::to_string(matrix.values.size()) +
                                " values for " + std::to_string(matrix.rows) + " x " +
                                std::to_string(matrix.cols));
  Handle space = simple_space({matrix.rows, matrix.cols}, what);
  Handle ds = dataset_at(parent, path, H5T_IEEE_F64LE, space.get(), !matrix.col_names.empty());
  check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, transfer_plist(),
                 matrix.values.data()),
        what);
  if (!matrix.col_names.empty()) {
    Handle type = utf8_string_type();
    Handle names_space = simple_space({matrix.col_names.size()}, what);
    Handle a = attribute(
        H5Acreate2(ds.get(), "col_names", type.get(), names_space.get(), H5P_DEFAULT, H5P_DEFAULT),
        what + " col_names");
    auto pointers = c_strings(matrix.col_names);
    check(H5Awrite(a.get(), type.get(), pointers.data()), what + " col_names");
  }
}

Matrix read_matrix(hid_t ds) {
  const std::string what = "dataset " + object_name(ds);
  Handle space = dataspace(H5Dget_space(ds), what);
  if (H5Sget_simple_extent_ndims(space.get()) != 2)
    throw std::runtime_error(what + ": expected a 2-D dataset");
  hsize_t dims[2] = {0, 0};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  Matrix matrix;
  matrix.rows = dims[0];
  matrix.cols = dims[1];
  matrix.values.resize(matrix.rows * matrix.cols);
  check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, transfer_plist(), matrix.values.data()),
        what);
  if (H5Aexists(ds, "col_names") > 0) {
    Handle a = attribute(H5Aopen(ds, "col_names", H5P_DEFAULT), what + " col_names");
    Handle names_space = dataspace(H5Aget_space(a.get()), what);
    Handle memory = utf8_string_type();
    std::vector<char*> raw(static_cast<size_t>(H5Sget_simple_extent_npoints(names_space.get())));
    check(H5Aread(a.get(), memory.get(), raw.data()), what + " col_names");
    matrix.col_names = take_strings(raw, memory.get(), names_space.get());
  }
  return matrix;
}

namespace {

// A table's rows packed in memory, a slot per column: 8 bytes (double, int64_t or char*), or
// for a string column of fixed size n (`text_sizes[c]` > 0) n bytes, NUL-padded; with the
// compound types that describe them in memory and in the file.
struct PackedRows {
  Handle memory, file_type;
  std::vector<unsigned char> buffer;
  std::vector<std::vector<const char*>> strings;  // what the char* slots point into
};

PackedRows pack_rows(const Table& table, const std::string& what,
                     const std::vector<size_t>& text_sizes = {}) {
  if (table.names.empty()) throw std::invalid_argument(what + ": a table needs a column");
  const size_t columns = table.names.size();
  const size_t rows = table.rows();
  std::vector<size_t> offsets(columns + 1, 0);
  auto fixed = [&](size_t c) { return c < text_sizes.size() ? text_sizes[c] : 0; };
  for (size_t c = 0; c < columns; ++c) {
    const bool text = std::holds_alternative<std::vector<std::string>>(table.columns[c]);
    offsets[c + 1] = offsets[c] + (text && fixed(c) > 0 ? fixed(c) : 8);
  }
  const size_t row_size = offsets[columns];
  Handle string_type = utf8_string_type();
  PackedRows packed{datatype(H5Tcreate(H5T_COMPOUND, row_size), what),
                    datatype(H5Tcreate(H5T_COMPOUND, row_size), what),
                    std::vector<unsigned char>(rows * row_size),
                    std::vector<std::vector<const char*>>(columns)};
  auto& buffer = packed.buffer;
  for (size_t c = 0; c < columns; ++c) {
    const char* name = table.names[c].c_str();
    const size_t offset = offsets[c];
    const Column& column = table.columns[c];
    if (column_size(column) != rows) throw std::invalid_argument(what + ": ragged columns");
    if (const auto* d = std::get_if<std::vector<double>>(&column)) {
      check(H5Tinsert(packed.memory.get(), name, offset, H5T_NATIVE_DOUBLE), what);
      check(H5Tinsert(packed.file_type.get(), name, offset, H5T_IEEE_F64LE), what);
      for (size_t r = 0; r < rows; ++r) std::memcpy(&buffer[r * row_size + offset], &(*d)[r], 8);
    } else if (const auto* i = std::get_if<std::vector<int64_t>>(&column)) {
      check(H5Tinsert(packed.memory.get(), name, offset, H5T_NATIVE_INT64), what);
      check(H5Tinsert(packed.file_type.get(), name, offset, H5T_STD_I64LE), what);
      for (size_t r = 0; r < rows; ++r) std::memcpy(&buffer[r * row_size + offset], &(*i)[r], 8);
    } else if (fixed(c) > 0) {
      Handle type = fixed_string_type(fixed(c), what);
      check(H5Tinsert(packed.memory.get(), name, offset, type.get()), what);
      check(H5Tinsert(packed.file_type.get(), name, offset, type.get()), what);
      const auto& texts = std::get<std::vector<std::string>>(column);
      for (size_t r = 0; r < rows; ++r) {
        if (texts[r].size() > fixed(c))
          throw std::invalid_argument(what + ": column '" + table.names[c] + "': a string " +
                                      "longer than its fixed size");
        std::memcpy(&buffer[r * row_size + offset], texts[r].data(), texts[r].size());
      }
    } else {
      check(H5Tinsert(packed.memory.get(), name, offset, string_type.get()), what);
      check(H5Tinsert(packed.file_type.get(), name, offset, string_type.get()), what);
      packed.strings[c] = c_strings(std::get<std::vector<std::string>>(column));
      for (size_t r = 0; r < rows; ++r)
        std::memcpy(&buffer[r * row_size + offset], &packed.strings[c][r], sizeof(const char*));
    }
  }
  return packed;
}

// Chunked, deflated (level 1, after byte shuffling), no modification times: what the appenders
// create. Packed records are repetitive (names, settings, sorted ids), so a part shrinks 3x.
Handle appendable_dataset_plist(hsize_t chunk, const std::string& what) {
  Handle dcpl = plist(H5Pcreate(H5P_DATASET_CREATE), what);
  check(H5Pset_chunk(dcpl.get(), 1, &chunk), what + ": chunks");
  check(H5Pset_shuffle(dcpl.get()), what + ": shuffle");
  check(H5Pset_deflate(dcpl.get(), 1), what + ": deflate");
  check(H5Pset_obj_track_times(dcpl.get(), 0), what);
  return dcpl;
}

}  // namespace

void write_table(hid_t parent, const std::string& path, const Table& table) {
  const std::string what = "table '" + path + "'";
  PackedRows packed = pack_rows(table, what);
  Handle space = simple_space({table.rows()}, what);
  Handle ds = dataset_at(parent, path, packed.file_type.get(), space.get());
  check(H5Dwrite(ds.get(), packed.memory.get(), H5S_ALL, H5S_ALL, transfer_plist(),
                 packed.buffer.data()),
        what);
}

TableAppender::TableAppender(hid_t parent, const std::string& path, const Table& schema,
                             std::vector<size_t> text_sizes)
    : path_(path), names_(schema.names), text_sizes_(std::move(text_sizes)) {
  for (const Column& column : schema.columns) kinds_.push_back(column.index());
  const std::string what = "table '" + path + "'";
  PackedRows packed = pack_rows(schema.rows_at({}), what, text_sizes_);
  const hsize_t none = 0, unlimited = H5S_UNLIMITED;
  Handle space = dataspace(H5Screate_simple(1, &none, &unlimited), what);
  Handle dcpl = appendable_dataset_plist(kAppendRows, what);
  Handle lcpl = link_plist();
  dataset_ = hdf5::dataset(H5Dcreate2(parent, path.c_str(), packed.file_type.get(), space.get(),
                                      lcpl.get(), dcpl.get(), H5P_DEFAULT),
                           "create " + what);
}

void TableAppender::append(const Table& rows) {
  const std::string what = "table '" + path_ + "'";
  if (rows.names != names_) throw std::invalid_argument(what + ": rows of other columns");
  for (size_t c = 0; c < rows.columns.size(); ++c)
    if (rows.columns[c].index() != kinds_[c])
      throw std::invalid_argument(what + ": column '" + names_[c] + "' of another type");
  if (rows.rows() == 0) return;
  PackedRows packed = pack_rows(rows, what, text_sizes_);
  const hsize_t start = rows_, count = rows.rows(), total = rows_ + count;
  check(H5Dset_extent(dataset_.get(), &total), what + ": extend");
  Handle file_space = dataspace(H5Dget_space(dataset_.get()), what);
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
        what);
  Handle memory_space = dataspace(H5Screate_simple(1, &count, nullptr), what);
  check(H5Dwrite(dataset_.get(), packed.memory.get(), memory_space.get(), file_space.get(),
                 transfer_plist(), packed.buffer.data()),
        what);
  rows_ = total;
}

namespace {

// The file and memory types of a column of Column::index() `type` (strings of `text_size`
// bytes, or of variable length when it is 0).
std::pair<Handle, Handle> column_types(size_t type, size_t text_size, const std::string& what) {
  if (type == 0)
    return {datatype(H5Tcopy(H5T_IEEE_F64LE), what), datatype(H5Tcopy(H5T_NATIVE_DOUBLE), what)};
  if (type == 1)
    return {datatype(H5Tcopy(H5T_STD_I64LE), what), datatype(H5Tcopy(H5T_NATIVE_INT64), what)};
  if (text_size > 0)
    return {fixed_string_type(text_size, what), fixed_string_type(text_size, what)};
  return {utf8_string_type(), utf8_string_type()};
}

}  // namespace

ColumnAppender::ColumnAppender(hid_t parent, const std::string& path, size_t type, size_t text_size)
    : path_(path), type_(type), text_size_(type == 2 ? text_size : 0) {
  const std::string what = "column '" + path + "'";
  const hsize_t none = 0, unlimited = H5S_UNLIMITED;
  Handle space = dataspace(H5Screate_simple(1, &none, &unlimited), what);
  Handle dcpl = appendable_dataset_plist(kAppendValues, what);
  Handle lcpl = link_plist();
  auto types = column_types(type, text_size_, what);
  dataset_ = hdf5::dataset(H5Dcreate2(parent, path.c_str(), types.first.get(), space.get(),
                                      lcpl.get(), dcpl.get(), H5P_DEFAULT),
                           "create " + what);
}

void ColumnAppender::append(const Column& values) {
  const std::string what = "column '" + path_ + "'";
  if (values.index() != type_) throw std::invalid_argument(what + ": values of another type");
  const hsize_t start = size_, count = column_size(values), total = size_ + count;
  if (count == 0) return;
  check(H5Dset_extent(dataset_.get(), &total), what + ": extend");
  Handle file_space = dataspace(H5Dget_space(dataset_.get()), what);
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
        what);
  Handle memory_space = dataspace(H5Screate_simple(1, &count, nullptr), what);
  auto types = column_types(type_, text_size_, what);
  std::vector<const char*> strings;
  std::vector<char> fixed;
  const void* data = nullptr;
  if (const auto* d = std::get_if<std::vector<double>>(&values)) data = d->data();
  if (const auto* i = std::get_if<std::vector<int64_t>>(&values)) data = i->data();
  if (const auto* t = std::get_if<std::vector<std::string>>(&values)) {
    if (text_size_ == 0) {
      strings = c_strings(*t), data = strings.data();
    } else {
      fixed.assign(t->size() * text_size_, '\0');
      for (size_t k = 0; k < t->size(); ++k) {
        if ((*t)[k].size() > text_size_)
          throw std::invalid_argument(what + ": a string longer than its fixed size");
        std::memcpy(&fixed[k * text_size_], (*t)[k].data(), (*t)[k].size());
      }
      data = fixed.data();
    }
  }
  check(H5Dwrite(dataset_.get(), types.second.get(), memory_space.get(), file_space.get(),
                 transfer_plist(), data),
        what);
  size_ = total;
}

// One H5Dread for the whole table into 8-byte slots (double, int64_t or char* per column), as
// write_table lays rows out: a read per column made HDF5 convert the dataset once per column
// (each time through a fresh, zero-filled conversion buffer), which dominated `aggregate`.
Table read_table(hid_t ds) {
  const std::string what = "dataset " + object_name(ds);
  const hsize_t rows = dims_1d(ds, what);
  Handle file_type = datatype(H5Dget_type(ds), what);
  if (H5Tget_class(file_type.get()) != H5T_COMPOUND)
    throw std::runtime_error(what + ": expected a compound (table) dataset");
  const int members = H5Tget_nmembers(file_type.get());
  std::vector<std::string> names;
  std::vector<H5T_class_t> classes;
  std::vector<size_t> fixed(size_t(std::max(members, 0)), 0), offsets(1, 0);
  std::vector<Handle> slots;
  for (int m = 0; m < members; ++m) {
    char* raw_name = H5Tget_member_name(file_type.get(), static_cast<unsigned>(m));
    names.emplace_back(raw_name);
    H5free_memory(raw_name);
    classes.push_back(H5Tget_member_class(file_type.get(), static_cast<unsigned>(m)));
    if (classes.back() == H5T_FLOAT) {
      slots.push_back(datatype(H5Tcopy(H5T_NATIVE_DOUBLE), what));
    } else if (classes.back() == H5T_INTEGER) {
      slots.push_back(datatype(H5Tcopy(H5T_NATIVE_INT64), what));
    } else if (classes.back() == H5T_STRING) {
      Handle member = datatype(H5Tget_member_type(file_type.get(), unsigned(m)), what);
      if (H5Tis_variable_str(member.get()) <= 0) fixed[size_t(m)] = H5Tget_size(member.get());
      slots.push_back(fixed[size_t(m)] > 0 ? fixed_string_type(fixed[size_t(m)], what)
                                           : utf8_string_type());
    } else {
      throw std::runtime_error(what + ": column '" + names.back() +
                               "' is not double, int64 or string");
    }
    offsets.push_back(offsets.back() + (fixed[size_t(m)] > 0 ? fixed[size_t(m)] : 8));
  }
  const size_t row_size = std::max<size_t>(offsets.back(), 8);
  Handle memory = datatype(H5Tcreate(H5T_COMPOUND, row_size), what);
  for (int m = 0; m < members; ++m)
    check(H5Tinsert(memory.get(), names[size_t(m)].c_str(), offsets[size_t(m)],
                    slots[size_t(m)].get()),
          what);
  std::vector<unsigned char> buffer(size_t(rows) * row_size);
  check(H5Dread(ds, memory.get(), H5S_ALL, H5S_ALL, transfer_plist(), buffer.data()), what);
  Table table;
  for (int m = 0; m < members; ++m) {
    const size_t offset = offsets[size_t(m)];
    if (classes[size_t(m)] == H5T_FLOAT) {
      std::vector<double> v(rows);
      for (hsize_t r = 0; r < rows; ++r) std::memcpy(&v[r], &buffer[r * row_size + offset], 8);
      table.add(names[size_t(m)], std::move(v));
    } else if (classes[size_t(m)] == H5T_INTEGER) {
      std::vector<int64_t> v(rows);
      for (hsize_t r = 0; r < rows; ++r) std::memcpy(&v[r], &buffer[r * row_size + offset], 8);
      table.add(names[size_t(m)], std::move(v));
    } else if (fixed[size_t(m)] > 0) {
      std::vector<std::string> v(rows);
      for (hsize_t r = 0; r < rows; ++r)
        v[r] = fixed_text(reinterpret_cast<const char*>(&buffer[r * row_size + offset]),
                          fixed[size_t(m)]);
      table.add(names[size_t(m)], std::move(v));
    } else {
      std::vector<std::string> v(rows);
      for (hsize_t r = 0; r < rows; ++r) {
        char* text = nullptr;
        std::memcpy(&text, &buffer[r * row_size + offset], sizeof text);
        v[r] = text ? text : "";
        H5free_memory(text);
      }
      table.add(names[size_t(m)], std::move(v));
    }
  }
  return table;
}

}  // namespace riskstep::hdf5
