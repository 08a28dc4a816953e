#pragma once
// Reads a daily price series (one date column, one price column) from a CSV file.
//
// Accepted layouts: Yahoo (`Date,Open,High,Low,Close[,Adj Close],Volume`), the Herrig (2023) thesis
// files (`"",date,Close,R,...`, quoted header, quoted row id, NA in columns other than Close), and
// plain `date,close`. Column names match case-insensitively. Only the date and price columns are
// validated; other columns may hold anything (e.g. NA). CRLF, a UTF-8 BOM, quoted fields and a
// missing final newline are tolerated. Every problem throws std::runtime_error with ONE line
// `file:line: what was expected` (see docs/data.md for the full list of rules).
#include <string>
#include <vector>

namespace riskstep {

struct PriceSeries {
  std::string source;              // file path it came from
  std::string column;              // the price column used
  std::vector<std::string> dates;  // ISO YYYY-MM-DD, strictly ascending
  std::vector<double> prices;      // > 0, finite
};

struct PriceCsvOptions {
  // "" = auto: "Close" (Yahoo and thesis files) or "close" (plain date,close); else e.g. "Adj
  // Close"
  std::string column;
};

PriceSeries read_price_csv(const std::string& path, const PriceCsvOptions& options = {});

// The same from the file's text; `path` names it in messages.
PriceSeries parse_price_csv(const std::string& text, const std::string& path,
                            const PriceCsvOptions& options = {});

}  // namespace riskstep
