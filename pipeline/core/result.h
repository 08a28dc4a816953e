#pragma once
// What a task hands back to the engine: named columns, matrices, tables and attributes.
// Jobs fill it; the engine stores it (HDF5) without interpreting it, so a new study needs no
// engine change. Names may contain '/' to nest groups below the task's group.
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace riskstep {

using Column = std::variant<std::vector<double>, std::vector<int64_t>, std::vector<std::string>>;
using AttributeValue = std::variant<double, int64_t, std::string>;

size_t column_size(const Column& column);
// Row `row` of an int64 or double column as a double (throws std::bad_variant_access on text).
double numeric_cell(const Column& column, size_t row);

// Equal-length named columns; stored as an HDF5 compound dataset (one row per entry).
struct Table {
  std::vector<std::string> names;
  std::vector<Column> columns;

  Table& add(std::string name, Column column);  // throws if the length differs from rows()
  size_t rows() const;
  const Column& column(const std::string& name) const;  // throws std::out_of_range if absent
  bool has(const std::string& name) const;
  void append_rows(const Table& other);                  // same names and column types, else throws
  Table rows_at(const std::vector<size_t>& rows) const;  // those rows, in that order
};

// Row-major rows x cols block of doubles (e.g. per-day mixture parameters).
struct Matrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> values;
  std::vector<std::string> col_names;  // optional, stored as an attribute
};

struct Result {
  std::map<std::string, AttributeValue> attributes;
  std::map<std::string, Column> columns;
  std::map<std::string, Matrix> matrices;
  std::map<std::string, Table> tables;
  // Rows this task contributes to the run-wide /summary table; the engine prepends task_id.
  Table summary;
};

// True if every double in the result is finite (columns, matrices, tables, attributes, summary).
bool all_finite(const Result& result);

}  // namespace riskstep
