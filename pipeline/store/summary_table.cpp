#include "pipeline/store/summary_table.h"

#include <cmath>
#include <limits>

namespace riskstep {

namespace {

Column filled(const Column& like, size_t n) {
  if (std::holds_alternative<std::vector<double>>(like))
    return std::vector<double>(n, std::numeric_limits<double>::quiet_NaN());
  if (std::holds_alternative<std::vector<int64_t>>(like)) return std::vector<int64_t>(n, 0);
  return std::vector<std::string>(n, "");
}

Column as_doubles(const Column& column) {
  if (const auto* i = std::get_if<std::vector<int64_t>>(&column))
    return std::vector<double>(i->begin(), i->end());
  return column;
}

Column as_strings(const Column& column) {
  if (std::holds_alternative<std::vector<std::string>>(column)) return column;
  std::vector<std::string> strings;
  std::visit(
      [&](const auto& values) {
        using V = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (!std::is_same_v<V, std::string>)
          for (const auto& v : values) strings.push_back(param_to_string(ParamValue(v)));
      },
      column);
  return strings;
}

// Brings two columns to one type: string beats numbers, double beats int64.
void unify(Column& a, Column& b) {
  if (a.index() == b.index()) return;
  const bool any_string = std::holds_alternative<std::vector<std::string>>(a) ||
                          std::holds_alternative<std::vector<std::string>>(b);
  if (any_string) {
    a = as_strings(a);
    b = as_strings(b);
  } else {
    a = as_doubles(a);
    b = as_doubles(b);
  }
}

void append(Column& into, const Column& tail) {
  std::visit(
      [&](auto& mine) {
        using V = std::decay_t<decltype(mine)>;
        const auto& theirs = std::get<V>(tail);
        mine.insert(mine.end(), theirs.begin(), theirs.end());
      },
      into);
}

Column param_column(const ParamValue& value, size_t n) {
  if (const auto* b = std::get_if<bool>(&value)) return std::vector<int64_t>(n, *b ? 1 : 0);
  if (const auto* i = std::get_if<int64_t>(&value)) return std::vector<int64_t>(n, *i);
  if (const auto* d = std::get_if<double>(&value)) return std::vector<double>(n, *d);
  return std::vector<std::string>(n, std::get<std::string>(value));
}

}  // namespace

void append_rows_union(Table& into, const Table& rows) {
  const size_t old_rows = into.rows();
  const size_t new_rows = rows.rows();
  for (size_t c = 0; c < into.names.size(); ++c) {
    if (rows.has(into.names[c])) {
      Column tail = rows.column(into.names[c]);
      unify(into.columns[c], tail);
      append(into.columns[c], tail);
    } else {
      append(into.columns[c], filled(into.columns[c], new_rows));
    }
  }
  for (size_t c = 0; c < rows.names.size(); ++c) {
    if (into.has(rows.names[c])) continue;
    Column column = filled(rows.columns[c], old_rows);
    append(column, rows.columns[c]);
    into.names.push_back(rows.names[c]);
    into.columns.push_back(std::move(column));
  }
}

Table summary_rows(const TaskRecord& record) {
  const Table& own = record.result.summary;
  const size_t n = own.rows();
  if (record.status != "ok" || own.names.empty()) return Table{};
  Table rows;
  rows.add("task_id", std::vector<std::string>(n, record.task.id));
  rows.add("kind", std::vector<std::string>(n, record.task.kind));
  rows.add("status", std::vector<std::string>(n, record.status));
  for (const auto& [name, value] : record.task.params)
    if (!own.has(name) && !rows.has(name)) rows.add(name, param_column(value, n));
  for (size_t c = 0; c < own.names.size(); ++c)
    if (!rows.has(own.names[c])) rows.add(own.names[c], own.columns[c]);
  return rows;
}

Table summary_table(const std::vector<TaskRecord>& records) {
  Table summary;
  for (const auto& record : records) {
    const Table rows = summary_rows(record);
    if (!rows.names.empty()) append_rows_union(summary, rows);
  }
  return summary;
}

}  // namespace riskstep
