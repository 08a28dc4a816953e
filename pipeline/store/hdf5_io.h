#pragma once
// Typed reads and writes of the Result building blocks (attributes, columns, matrices, tables)
// with the HDF5 C API. Doubles are IEEE f64, integers i64, strings variable-length UTF-8, tables
// compound datasets: what h5py and h5dump read without help. Throws std::runtime_error naming the
// object on failure.
#include <hdf5.h>

#include <map>
#include <string>

#include "pipeline/core/result.h"

namespace riskstep::hdf5 {

void write_attribute(hid_t object, const std::string& name, const AttributeValue& value);
std::map<std::string, AttributeValue> read_attributes(hid_t object);

// `path` is relative to `parent`; '/' in it creates intermediate groups.
void write_column(hid_t parent, const std::string& path, const Column& column);
void write_matrix(hid_t parent, const std::string& path, const Matrix& matrix);
void write_table(hid_t parent, const std::string& path, const Table& table);

Column read_column(hid_t dataset);
Matrix read_matrix(hid_t dataset);
Table read_table(hid_t dataset);

}  // namespace riskstep::hdf5
