#include "pipeline/core/result.h"

#include <cmath>
#include <stdexcept>

namespace riskstep {

double numeric_cell(const Column& column, size_t row) {
  if (const auto* d = std::get_if<std::vector<double>>(&column)) return (*d)[row];
  return static_cast<double>(std::get<std::vector<int64_t>>(column)[row]);
}

size_t column_size(const Column& column) {
  return std::visit([](const auto& values) { return values.size(); }, column);
}

Table& Table::add(std::string name, Column column) {
  if (!names.empty() && column_size(column) != rows()) {
    throw std::invalid_argument("table column '" + name + "' has " +
                                std::to_string(column_size(column)) + " rows, expected " +
                                std::to_string(rows()));
  }
  if (has(name)) throw std::invalid_argument("table column '" + name + "' added twice");
  names.push_back(std::move(name));
  columns.push_back(std::move(column));
  return *this;
}

size_t Table::rows() const {
  return columns.empty() ? 0 : column_size(columns.front());
}

bool Table::has(const std::string& name) const {
  for (const auto& n : names)
    if (n == name) return true;
  return false;
}

const Column& Table::column(const std::string& name) const {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return columns[i];
  throw std::out_of_range("table has no column '" + name + "'");
}

Table Table::rows_at(const std::vector<size_t>& rows) const {
  Table selected;
  selected.names = names;
  for (const Column& column : columns)
    selected.columns.push_back(std::visit(
        [&](const auto& values) -> Column {
          std::decay_t<decltype(values)> picked;
          for (size_t row : rows) picked.push_back(values.at(row));
          return picked;
        },
        column));
  return selected;
}

void Table::append_rows(const Table& other) {
  if (other.names.empty()) return;
  if (names.empty()) {
    *this = other;
    return;
  }
  if (other.names != names) throw std::invalid_argument("append_rows: column names differ");
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].index() != other.columns[i].index())
      throw std::invalid_argument("append_rows: column '" + names[i] + "' changes type");
    std::visit(
        [&](auto& mine) {
          using V = std::decay_t<decltype(mine)>;
          const auto& theirs = std::get<V>(other.columns[i]);
          mine.insert(mine.end(), theirs.begin(), theirs.end());
        },
        columns[i]);
  }
}

namespace {
bool finite_column(const Column& column) {
  if (const auto* doubles = std::get_if<std::vector<double>>(&column)) {
    for (double v : *doubles)
      if (!std::isfinite(v)) return false;
  }
  return true;
}
bool finite_table(const Table& table) {
  for (const auto& c : table.columns)
    if (!finite_column(c)) return false;
  return true;
}
}  // namespace

bool all_finite(const Result& result) {
  for (const auto& [name, value] : result.attributes)
    if (const auto* d = std::get_if<double>(&value); d && !std::isfinite(*d)) return false;
  for (const auto& [name, column] : result.columns)
    if (!finite_column(column)) return false;
  for (const auto& [name, matrix] : result.matrices)
    for (double v : matrix.values)
      if (!std::isfinite(v)) return false;
  for (const auto& [name, table] : result.tables)
    if (!finite_table(table)) return false;
  return finite_table(result.summary);
}

}  // namespace riskstep
