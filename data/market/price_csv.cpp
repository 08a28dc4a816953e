#include "data/market/price_csv.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace riskstep {
namespace {

class CsvError {
 public:
  CsvError(const std::string& path, size_t line) : path_(path), line_(line) {}
  [[noreturn]] void raise(const std::string& what) const {
    throw std::runtime_error(path_ + ":" + std::to_string(line_) + ": " + what);
  }

 private:
  const std::string& path_;
  size_t line_;
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// RFC 4180 fields on one physical line: a quoted field may contain commas and doubled quotes
// (a price file never needs embedded newlines, so a quote left open at the end of the line is
// an error rather than a continuation).
std::vector<std::string> split_fields(const std::string& line, const CsvError& error) {
  std::vector<std::string> fields;
  size_t pos = 0;
  while (true) {
    std::string field;
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    if (pos < line.size() && line[pos] == '"') {
      const size_t opening = pos++;
      bool closed = false;
      while (pos < line.size()) {
        if (line[pos] == '"') {
          if (pos + 1 < line.size() && line[pos + 1] == '"') {
            field += '"';
            pos += 2;
            continue;
          }
          closed = true;
          ++pos;
          break;
        }
        field += line[pos++];
      }
      if (!closed)
        error.raise("quote opened at column " + std::to_string(opening + 1) +
                    " is never closed; expected a closing '\"' on the same line");
      while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
      if (pos < line.size() && line[pos] != ',')
        error.raise("unexpected text after the closing quote at column " + std::to_string(pos + 1) +
                    "; expected ',' or the end of the line");
    } else {
      const size_t comma = line.find(',', pos);
      field = trim(line.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
      pos = comma == std::string::npos ? line.size() : comma;
    }
    fields.push_back(std::move(field));
    if (pos >= line.size()) break;
    ++pos;  // the comma
  }
  return fields;
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Strict ISO calendar date (YYYY-MM-DD, a day that exists), checked without a date library.
bool is_iso_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  const int year = std::stoi(text.substr(0, 4));
  const int month = std::stoi(text.substr(5, 2));
  const int day = std::stoi(text.substr(8, 2));
  static const int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const int days = kDaysInMonth[month - 1] + (month == 2 && is_leap_year(year) ? 1 : 0);
  return day <= days;
}

double parse_price(const std::string& field, const std::string& column, const CsvError& error) {
  const std::string where = "price column '" + column + "' ";
  const std::string expected = "; expected a positive finite number";
  if (field.empty()) error.raise(where + "is empty" + expected);
  const std::string lowered = lower(field);
  if (lowered == "na" || lowered == "n/a" || lowered == "null" || lowered == "none")
    error.raise(where + "is missing ('" + field + "')" + expected);
  double value = 0.0;
  const char* begin = field.data();
  const char* end = field.data() + field.size();
  if (*begin == '+') ++begin;  // from_chars rejects an explicit plus sign
  const auto [stop, status] = std::from_chars(begin, end, value);
  if (status == std::errc::result_out_of_range)
    error.raise(where + "'" + field + "' is out of range" + expected);
  if (status != std::errc() || stop != end)
    error.raise(where + "'" + field + "' is not a number" + expected);
  if (std::isnan(value)) error.raise(where + "is NaN" + expected);
  if (std::isinf(value)) error.raise(where + "is infinite ('" + field + "')" + expected);
  if (value <= 0.0) error.raise(where + "is non-positive (" + field + ")" + expected);
  return value;
}

std::vector<std::string> split_lines(std::string text) {
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    if (newline == std::string::npos) newline = text.size();
    std::string line = text.substr(start, newline - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = newline + 1;
  }
  // Blank lines at the end (a trailing newline, or several) carry no rows.
  while (!lines.empty() && trim(lines.back()).empty()) lines.pop_back();
  return lines;
}

// The one header column whose lower-cased name is in `names`; `label` and `expected` word errors.
size_t find_column(const std::vector<std::string>& header, const std::vector<std::string>& names,
                   const std::string& label, const std::string& expected, const CsvError& error) {
  size_t found = header.size();
  for (size_t i = 0; i < header.size(); ++i) {
    if (std::find(names.begin(), names.end(), lower(header[i])) == names.end()) continue;
    if (found != header.size())
      error.raise("header names the " + label + " twice (columns " + std::to_string(found + 1) +
                  " and " + std::to_string(i + 1) + "); expected exactly one " + expected);
    found = i;
  }
  if (found == header.size()) {
    std::string listed;
    for (const auto& name : header) listed += (listed.empty() ? "'" : ", '") + name + "'";
    error.raise("header has no " + label + " (found " + listed + "); expected " + expected);
  }
  return found;
}

}  // namespace

PriceSeries read_price_csv(const std::string& path, const PriceCsvOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ":0: cannot open file; expected a readable price CSV");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_price_csv(buffer.str(), path, options);
}

PriceSeries parse_price_csv(const std::string& text, const std::string& path,
                            const PriceCsvOptions& options) {
  const std::vector<std::string> lines = split_lines(text);
  if (lines.empty())
    CsvError(path, 1).raise("file is empty; expected a header line and price rows");

  const CsvError header_error(path, 1);
  const std::vector<std::string> header = split_fields(lines[0], header_error);
  const size_t date_column =
      find_column(header, {"date"}, "date column", "'Date' or 'date'", header_error);
  const std::vector<std::string> price_names =
      options.column.empty() ? std::vector<std::string>{"close"}
                             : std::vector<std::string>{lower(options.column)};
  const std::string price_expected =
      options.column.empty() ? "'Close' or 'close'" : "'" + options.column + "'";
  const size_t price_column =
      find_column(header, price_names, "price column", price_expected, header_error);
  if (price_column == date_column)
    header_error.raise("the price column is the date column; expected two different columns");

  PriceSeries series;
  series.source = path;
  series.column = header[price_column];
  std::vector<size_t> line_of_row;
  for (size_t i = 1; i < lines.size(); ++i) {
    const CsvError error(path, i + 1);
    if (trim(lines[i]).empty())
      error.raise("blank line; expected " + std::to_string(header.size()) + " fields");
    const std::vector<std::string> fields = split_fields(lines[i], error);
    if (fields.size() != header.size())
      error.raise("found " + std::to_string(fields.size()) + " fields; expected " +
                  std::to_string(header.size()) + " as in the header");
    const std::string& date = fields[date_column];
    if (!is_iso_date(date))
      error.raise("date '" + date + "' is not a valid calendar date; expected YYYY-MM-DD");
    if (!series.dates.empty()) {
      const std::string& previous = series.dates.back();
      const std::string previous_line = std::to_string(line_of_row.back());
      if (date == previous)
        error.raise("duplicate date " + date + " (also on line " + previous_line +
                    "); expected strictly ascending dates");
      if (date < previous)
        error.raise("date " + date + " comes after " + previous + " (line " + previous_line +
                    "); expected strictly ascending dates");
    }
    series.prices.push_back(parse_price(fields[price_column], series.column, error));
    series.dates.push_back(date);
    line_of_row.push_back(i + 1);
  }
  if (series.dates.empty())
    CsvError(path, 2).raise("no price rows after the header; expected at least one");
  return series;
}

}  // namespace riskstep
