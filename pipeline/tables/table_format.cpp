#include "pipeline/tables/table_format.h"

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

}  // namespace riskstep
