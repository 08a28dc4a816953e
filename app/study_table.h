#pragma once
// What `riskstep aggregate` prints: for each job kind in a /summary Table, that study's table
// (JobKind::study_table; a kind without one: the number of finished tasks per group).
#include <ostream>
#include <string>
#include <vector>

#include "pipeline/core/job.h"

namespace riskstep {

enum class TableFormat { markdown, csv, json };

struct StudyTableOptions {
  TableFormat format = TableFormat::markdown;
  std::vector<std::string> group_by;  // empty: the kind's own grouping
};

// The summary rows of one kind, grouped and aggregated as that study reads them.
Table study_table(const JobRegistry& registry, const std::string& kind, const Table& summary,
                  const std::vector<std::string>& group_by);

// One table per kind, in order of first appearance: Markdown headed by the kind when there are
// several, JSON named by it (pipeline/tables/table_format.h); CSV takes one kind only (throws
// std::invalid_argument naming the kinds found).
void print_study_tables(std::ostream& out, const JobRegistry& registry, const Table& summary,
                        const StudyTableOptions& options);

}  // namespace riskstep
