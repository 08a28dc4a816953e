#pragma once
// Group-by over a summary Table (e.g. results.h5 /summary): one output row per distinct combination
// of the group_by columns, in order of first appearance, then one column per AggregateSpec.
// NaN cells are skipped by every reducer (a failed metric does not poison a mean).
#include <string>
#include <vector>

#include "pipeline/core/result.h"

namespace riskstep {

enum class Reducer {
  mean,
  sd,  // sample standard deviation (n - 1); NaN for fewer than 2 values
  min,
  max,
  sum,
  count,  // non-NaN values (rows, for string columns); int64
  rate,   // share of non-zero values: the pass rate of a 0/1 column
};

struct AggregateSpec {
  std::string column;
  Reducer reducer = Reducer::mean;
  std::string name;  // output column; "" = "<column>_<reducer>"
};

std::string reducer_name(Reducer reducer);
Reducer parse_reducer(const std::string& name);  // throws std::invalid_argument listing the names

// Throws std::invalid_argument "<what> has no column '<name>'" for the first name `table` lacks,
// so callers check their inputs with one clear line before aggregating.
void require_columns(const Table& table, const std::vector<std::string>& names,
                     const std::string& what);

// Throws std::invalid_argument naming a missing column, or a numeric reducer on strings.
Table aggregate_table(const Table& summary, const std::vector<std::string>& group_by,
                      const std::vector<AggregateSpec>& columns);

}  // namespace riskstep
