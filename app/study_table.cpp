#include "app/study_table.h"

#include <stdexcept>

#include "pipeline/tables/aggregate.h"
#include "pipeline/tables/table_format.h"

namespace riskstep {

Table study_table(const JobRegistry& registry, const std::string& kind, const Table& summary,
                  const std::vector<std::string>& group_by) {
  if (registry.has(kind) && registry.kind(kind).study_table)
    return registry.kind(kind).study_table(summary, group_by);
  const std::vector<std::string> by =
      group_by.empty() ? std::vector<std::string>{"kind"} : group_by;
  require_columns(summary, by, "--by: the summary");
  return aggregate_table(summary, by, {{"task_id", Reducer::count, "tasks"}});
}

void print_study_tables(std::ostream& out, const JobRegistry& registry, const Table& summary,
                        const StudyTableOptions& options) {
  const auto& kinds = std::get<std::vector<std::string>>(summary.column("kind"));
  const auto order =  // the distinct kinds, in order of first appearance
      std::get<std::vector<std::string>>(aggregate_table(summary, {"kind"}, {}).column("kind"));
  if (options.format == TableFormat::csv && order.size() > 1) {
    std::string names;
    for (const auto& kind : order) names += (names.empty() ? "" : ", ") + kind;
    throw std::invalid_argument("--csv prints one job kind at a time; these results hold " + names +
                                " (--format json prints them all)");
  }
  std::vector<std::pair<std::string, Table>> tables;
  for (const auto& kind : order) {
    std::vector<size_t> rows;
    for (size_t row = 0; row < kinds.size(); ++row)
      if (kinds[row] == kind) rows.push_back(row);
    tables.emplace_back(kind, study_table(registry, kind, summary.rows_at(rows), options.group_by));
  }
  if (options.format == TableFormat::json) return write_json(out, tables);
  for (const auto& [kind, table] : tables) {
    if (options.format == TableFormat::csv) {
      write_csv(out, table);
      continue;
    }
    if (order.size() > 1) out << (kind == order.front() ? "" : "\n") << "## " << kind << "\n\n";
    write_markdown(out, table);
  }
}

}  // namespace riskstep
