#pragma once
// Typed reads and writes of the Result building blocks (attributes, columns, matrices, tables)
// with the HDF5 C API. Doubles are IEEE f64, integers i64, strings variable-length UTF-8, tables
// compound datasets: what h5py and h5dump read without help. Readers take fixed-size strings too.
// Throws std::runtime_error naming the object on failure.
#include <hdf5.h>

#include <map>
#include <string>
#include <vector>

#include "pipeline/core/result.h"

#include "pipeline/store/hdf5_handle.h"

namespace riskstep::hdf5 {

// Up to this many links or attributes an object keeps them in its own header.
constexpr size_t kCompactMembers = 64;

// A group sized for `links` members and about `header_bytes` of links and attributes, which it
// keeps in its header; no modification times. (Datasets are made likewise small: data of up to
// 16 kB in the header, no times.) An echo task costs 2.8 kB so instead of 6.3 kB.
Handle create_group(hid_t parent, const std::string& path, size_t links, size_t header_bytes);

// Reads and writes convert through a 64 kB buffer (HDF5's default of 1 MB was allocated and
// zeroed for every small dataset).
hid_t transfer_plist();

void write_attribute(hid_t object, const std::string& name, const AttributeValue& value);
std::map<std::string, AttributeValue> read_attributes(hid_t object);

// `path` is relative to `parent`; '/' in it creates intermediate groups.
void write_column(hid_t parent, const std::string& path, const Column& column);
void write_matrix(hid_t parent, const std::string& path, const Matrix& matrix);
void write_table(hid_t parent, const std::string& path, const Table& table);

Column read_column(hid_t dataset);
Matrix read_matrix(hid_t dataset);
Table read_table(hid_t dataset);

// A table written block by block (results.h5's /summary: a million rows never held at once):
// a chunked, deflated compound dataset that grows with each append. Every block must have the
// schema's names and column types. A string column c with text_sizes[c] > 0 is stored with that
// fixed size (NUL-padded; a longer string throws): deflate then shrinks it, which it cannot do
// for variable-length strings, kept apart in HDF5's heap with 32 bytes of overhead each.
class TableAppender {
 public:
  static constexpr hsize_t kAppendRows = 4096;  // rows per chunk
  TableAppender(hid_t parent, const std::string& path, const Table& schema,
                std::vector<size_t> text_sizes = {});
  void append(const Table& rows);
  hid_t dataset() const { return dataset_.get(); }
  hsize_t rows() const { return rows_; }

 private:
  std::string path_;
  std::vector<std::string> names_;
  std::vector<size_t> kinds_;  // Column::index() of each column
  std::vector<size_t> text_sizes_;
  Handle dataset_;
  hsize_t rows_ = 0;
};

// A column written block by block (a part file's packed task data, packed_tasks.h): a chunked,
// deflated 1-D dataset of f64, i64 or UTF-8 strings (`type`: Column::index() of what is
// appended), strings of `text_size` bytes as in TableAppender (0: variable length).
class ColumnAppender {
 public:
  static constexpr hsize_t kAppendValues = 8192;  // values per chunk
  ColumnAppender(hid_t parent, const std::string& path, size_t type, size_t text_size = 0);
  void append(const Column& values);
  hid_t dataset() const { return dataset_.get(); }

 private:
  std::string path_;
  size_t type_;
  size_t text_size_;
  Handle dataset_;
  hsize_t size_ = 0;
};

}  // namespace riskstep::hdf5
