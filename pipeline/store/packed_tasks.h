#pragma once
// Many tasks' records in one HDF5 file, packed by name: a sweep's part files (part_file.h). A
// group and six datasets per task cost an echo task 3 kB of HDF5 headers (3 GB for a million);
// here each Result part is one dataset for all the file's records, their values one after the
// other, so a task costs about its payload. Layout (docs/hdf5-layout.md):
//   /tasks                    compound, a row per record: task_id, kind, parameters, run_settings,
//                             input_sha256, seed, ranks, status, error, wall_seconds, rank, host,
//                             attributes (the Result's attributes, a JSON object; a
//                             non-finite double is null there and reads back as NaN)
//   /columns/<name>/values    1-D: record k's values are values[start[k]:start[k+1]]
//   /columns/<name>/start     i64, one more than there are records
//   /columns/<name>/present   u8 a record (1: it has the part), only when some record lacks it
//   /matrices/<name>/values   f64, rows one after the other, record k's rows cols[k] wide
//   /matrices/<name>/cols     i64 a record; attribute col_names when all records share them
//   /tables/<name>/values     compound, the records' rows one after the other
//   /tables/summary/...       each record's Result.summary rows, likewise
// A part that differs between records in type or columns (a GARCH and a network backtest's
// summary) is stored in the union of them (the rules of summary_table.h: a missing column is
// filled, int64 widens to double and numbers to strings), and <name>/schema_json, a record's own
// columns and types ([["name", 0 double | 1 int64 | 2 string], ...]), says what it reads back as.
#include <hdf5.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/task_record.h"

namespace riskstep {

class PackedTasksWriter {
 public:
  PackedTasksWriter();
  ~PackedTasksWriter();
  // First every record once (the union of their parts' types), then every record again in the
  // same order; finish() writes what is still buffered. Throws std::invalid_argument for a
  // Result name that clashes (used twice, or "summary"), std::runtime_error on HDF5 failures.
  void observe(const TaskRecord& record);
  void append(hid_t file, const TaskRecord& record);
  void finish(hid_t file);

 private:
  struct Item;
  void flush(hid_t file);
  std::map<std::string, std::unique_ptr<Item>> items_;  // "columns/<name>", "tables/<name>", ...
  std::unique_ptr<Item> tasks_;
  size_t buffered_ = 0;
};

// Every record of a packed file, in row order. Throws std::runtime_error naming the dataset.
std::vector<TaskRecord> read_packed_tasks(hid_t file);

}  // namespace riskstep
