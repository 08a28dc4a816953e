#pragma once
// The VaR study table from a /summary Table: one row per index x period x model x level (or the
// --by columns), aggregated over seeds. Classical models have one task per group (seed -1), so
// their rows show that task's statistics; network rows show the spread over seeds.
#include <ostream>
#include <string>
#include <vector>

#include "pipeline/core/result.h"

namespace riskstep {

struct VarTableOptions {
  bool csv = false;
  std::vector<std::string> group_by;  // empty: index, period, model, level
};

// Builds the table (columns described in the README, "Reading the results table").
Table var_table(const Table& summary, const VarTableOptions& options);
void print_var_table(std::ostream& out, const Table& summary, const VarTableOptions& options);

}  // namespace riskstep
