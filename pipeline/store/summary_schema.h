#pragma once
// /summary without holding it: the union of columns and their types (summary_table.h's rules)
// decided from what each rank saw of its own tasks, then every task's rows brought to those
// columns one task at a time, in task order, giving exactly the cells summary_table() gives for
// all records at once. Those rules depend on order: a cell a task lacks is filled with the
// column's type so far (NaN, 0 or ""), and a column that turns from int64 to double to string
// converts its int64 cells through double. So a rank reports, per column, where it first saw it,
// its first and widest types and the first task that widened it; that is enough.
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/core/result.h"

namespace riskstep {

// Column::index() order is double, int64, string; widening goes int64 -> double -> string.
enum class CellType : uint8_t { int64 = 0, float64 = 1, text = 2 };

struct ColumnSighting {
  std::string name;
  uint64_t first_task = 0;      // position (task order) of the first task with the column
  uint64_t first_position = 0;  // the column's position in that task's rows
  CellType first_type = CellType::int64;
  CellType widest = CellType::int64;
  uint64_t first_wide_task = UINT64_MAX;  // first task where it is double or string
  CellType first_wide_type = CellType::int64;
  uint64_t longest = 0;   // bytes of its longest string
  bool only_text = true;  // strings in every task (none turned into strings from numbers)
};

// What one rank saw: tasks observed in increasing position.
class SummarySightings {
 public:
  void observe(uint64_t task_position, const Table& rows);  // summary_rows() of that task
  const std::vector<ColumnSighting>& columns() const { return columns_; }

 private:
  std::vector<ColumnSighting> columns_;
};

std::string encode_sightings(const std::vector<ColumnSighting>& sightings);
std::vector<ColumnSighting> decode_sightings(const std::string& bytes);  // throws on bad bytes

struct SummarySchema {
  std::vector<std::string> names;  // in first-seen order
  std::vector<CellType> final_type, first_type;
  std::vector<bool> widens_through_double;  // int64 cells pass through double on the way
  std::vector<size_t> text_sizes;  // a fixed size for string columns whose lengths are known
                                   // (hdf5::TableAppender), else 0
  Table empty() const;             // the columns, no rows
};
SummarySchema combine_sightings(const std::vector<std::vector<ColumnSighting>>& per_rank);

// Every task's rows, in task order (tasks without rows may be skipped), to the schema's columns.
class SummaryConformer {
 public:
  explicit SummaryConformer(SummarySchema schema);
  Table conform(const Table& rows);

 private:
  SummarySchema schema_;
  std::vector<bool> appeared_;
  std::vector<CellType> running_;
};

}  // namespace riskstep
