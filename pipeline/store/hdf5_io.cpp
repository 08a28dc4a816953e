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
  H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());
  return strings;
}

Handle dataset_at(hid_t parent, const std::string& path, hid_t file_type, hid_t space) {
  Handle lcpl = link_plist();
  return dataset(
      H5Dcreate2(parent, path.c_str(), file_type, space, lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
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
    check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->data()), what);
  } else if (const auto* i = std::get_if<std::vector<int64_t>>(&column)) {
    Handle ds = dataset_at(parent, path, H5T_STD_I64LE, space.get());
    check(H5Dwrite(ds.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, i->data()), what);
  } else {
    Handle type = utf8_string_type();
    Handle ds = dataset_at(parent, path, type.get(), space.get());
    auto pointers = c_strings(std::get<std::vector<std::string>>(column));
    check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), what);
  }
}

Column read_column(hid_t ds) {
  const std::string what = "dataset " + object_name(ds);
  const hsize_t n = dims_1d(ds, what);
  Handle type = datatype(H5Dget_type(ds), what);
  switch (H5Tget_class(type.get())) {
    case H5T_FLOAT: {
      std::vector<double> v(n);
      check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), what);
      return v;
    }
    case H5T_INTEGER: {
      std::vector<int64_t> v(n);
      check(H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), what);
      return v;
    }
    case H5T_STRING: {
      Handle memory = utf8_string_type();
      Handle space = dataspace(H5Dget_space(ds), what);
      std::vector<char*> raw(n, nullptr);
      check(H5Dread(ds, memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), what);
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
  Handle ds = dataset_at(parent, path, H5T_IEEE_F64LE, space.get());
  check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, matrix.values.data()),
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
  check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, matrix.values.data()), what);
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

// Rows are packed in memory as 8-byte slots: double, int64_t or char* per column.
void write_table(hid_t parent, const std::string& path, const Table& table) {
  const std::string what = "table '" + path + "'";
  if (table.names.empty()) throw std::invalid_argument(what + ": a table needs a column");
  const size_t columns = table.names.size();
  const size_t rows = table.rows();
  const size_t row_size = 8 * columns;
  Handle string_type = utf8_string_type();
  Handle memory = datatype(H5Tcreate(H5T_COMPOUND, row_size), what);
  Handle file_type = datatype(H5Tcreate(H5T_COMPOUND, row_size), what);
  std::vector<unsigned char> buffer(rows * row_size);
  std::vector<std::vector<const char*>> strings(columns);
  for (size_t c = 0; c < columns; ++c) {
    const char* name = table.names[c].c_str();
    const size_t offset = 8 * c;
    const Column& column = table.columns[c];
    if (column_size(column) != rows) throw std::invalid_argument(what + ": ragged columns");
    if (const auto* d = std::get_if<std::vector<double>>(&column)) {
      check(H5Tinsert(memory.get(), name, offset, H5T_NATIVE_DOUBLE), what);
      check(H5Tinsert(file_type.get(), name, offset, H5T_IEEE_F64LE), what);
      for (size_t r = 0; r < rows; ++r) std::memcpy(&buffer[r * row_size + offset], &(*d)[r], 8);
    } else if (const auto* i = std::get_if<std::vector<int64_t>>(&column)) {
      check(H5Tinsert(memory.get(), name, offset, H5T_NATIVE_INT64), what);
      check(H5Tinsert(file_type.get(), name, offset, H5T_STD_I64LE), what);
      for (size_t r = 0; r < rows; ++r) std::memcpy(&buffer[r * row_size + offset], &(*i)[r], 8);
    } else {
      check(H5Tinsert(memory.get(), name, offset, string_type.get()), what);
      check(H5Tinsert(file_type.get(), name, offset, string_type.get()), what);
      strings[c] = c_strings(std::get<std::vector<std::string>>(column));
      for (size_t r = 0; r < rows; ++r)
        std::memcpy(&buffer[r * row_size + offset], &strings[c][r], sizeof(const char*));
    }
  }
  Handle space = simple_space({rows}, what);
  Handle ds = dataset_at(parent, path, file_type.get(), space.get());
  check(H5Dwrite(ds.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), what);
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
  const size_t row_size = 8 * size_t(std::max(members, 1));
  Handle string_type = utf8_string_type();
  Handle memory = datatype(H5Tcreate(H5T_COMPOUND, row_size), what);
  std::vector<std::string> names;
  std::vector<H5T_class_t> classes;
  for (int m = 0; m < members; ++m) {
    char* raw_name = H5Tget_member_name(file_type.get(), static_cast<unsigned>(m));
    names.emplace_back(raw_name);
    H5free_memory(raw_name);
    classes.push_back(H5Tget_member_class(file_type.get(), static_cast<unsigned>(m)));
    const hid_t slot = classes.back() == H5T_FLOAT     ? H5T_NATIVE_DOUBLE
                       : classes.back() == H5T_INTEGER ? H5T_NATIVE_INT64
                       : classes.back() == H5T_STRING  ? string_type.get()
                                                       : -1;
    if (slot < 0)
      throw std::runtime_error(what + ": column '" + names.back() +
                               "' is not double, int64 or string");
    check(H5Tinsert(memory.get(), names.back().c_str(), 8 * size_t(m), slot), what);
  }
  std::vector<unsigned char> buffer(size_t(rows) * row_size);
  check(H5Dread(ds, memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), what);
  Table table;
  for (int m = 0; m < members; ++m) {
    const size_t offset = 8 * size_t(m);
    if (classes[size_t(m)] == H5T_FLOAT) {
      std::vector<double> v(rows);
      for (hsize_t r = 0; r < rows; ++r) std::memcpy(&v[r], &buffer[r * row_size + offset], 8);
      table.add(names[size_t(m)], std::move(v));
    } else if (classes[size_t(m)] == H5T_INTEGER) {
      std::vector<int64_t> v(rows);
      for (hsize_t r = 0; r < rows; ++r) std::memcpy(&v[r], &buffer[r * row_size + offset], 8);
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
