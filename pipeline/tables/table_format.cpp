#include "pipeline/tables/table_format.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <string>

namespace riskstep {
namespace {

std::string format_cell(const Column& column, size_t row, const char* double_format) {
  if (const auto* s = std::get_if<std::vector<std::string>>(&column)) return (*s)[row];
  if (const auto* i = std::get_if<std::vector<int64_t>>(&column)) return std::to_string((*i)[row]);
  char text[40];
  std::snprintf(text, sizeof text, double_format, std::get<std::vector<double>>(column)[row]);
  return text;
}

std::string csv_quote(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

void write_markdown(std::ostream& out, const Table& table) {
  out << "|";
  for (const auto& name : table.names) out << " " << name << " |";
  out << "\n|";
  for (const auto& column : table.columns)
    out << (std::holds_alternative<std::vector<std::string>>(column) ? "---|" : "---:|");
  out << "\n";
  for (size_t row = 0; row < table.rows(); ++row) {
    out << "|";
    for (const auto& column : table.columns) {
      std::string cell = format_cell(column, row, "%.4g");
      for (char& c : cell)
        if (c == '|' || c == '\n') c = ' ';
      out << " " << cell << " |";
    }
    out << "\n";
  }
}

void write_csv(std::ostream& out, const Table& table) {
  for (size_t i = 0; i < table.names.size(); ++i)
    out << (i ? "," : "") << csv_quote(table.names[i]);
  out << "\n";
  for (size_t row = 0; row < table.rows(); ++row) {
    for (size_t i = 0; i < table.columns.size(); ++i)
      out << (i ? "," : "") << csv_quote(format_cell(table.columns[i], row, "%.17g"));
    out << "\n";
  }
}

void write_json(std::ostream& out, const std::vector<std::pair<std::string, Table>>& tables) {
  nlohmann::json document = {{"tables", nlohmann::json::array()}};
  for (const auto& [name, table] : tables) {
    nlohmann::json columns = nlohmann::json::array();
    nlohmann::json rows = nlohmann::json::array();
    for (size_t i = 0; i < table.names.size(); ++i) {
      const Column& column = table.columns[i];
      const char* type = std::holds_alternative<std::vector<std::string>>(column) ? "string"
                         : std::holds_alternative<std::vector<int64_t>>(column)   ? "integer"
                                                                                  : "number";
      columns.push_back({{"name", table.names[i]}, {"type", type}});
    }
    for (size_t row = 0; row < table.rows(); ++row) {
      nlohmann::json cells = nlohmann::json::array();
      for (const auto& column : table.columns)
        std::visit(
            [&](const auto& values) {
              using V = std::decay_t<decltype(values[row])>;
              if constexpr (std::is_same_v<V, double>)
                cells.push_back(std::isfinite(values[row]) ? nlohmann::json(values[row]) : nullptr);
              else
                cells.push_back(values[row]);
            },
            column);
      rows.push_back(std::move(cells));
    }
    document["tables"].push_back({{"name", name}, {"columns", columns}, {"rows", rows}});
  }
  out << document.dump(1) << "\n";
}

}  // namespace riskstep
