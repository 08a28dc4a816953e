#pragma once
// Printing a Table for people (Markdown, numbers to 4 significant digits) and for programs (CSV,
// full precision, RFC 4180 quoting; JSON, numbers as they are, NaN as null).
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/core/result.h"

namespace riskstep {

void write_markdown(std::ostream& out, const Table& table);
void write_csv(std::ostream& out, const Table& table);

// {"tables": [{"name": N, "columns": [{"name": C, "type": "string"|"integer"|"number"}, ...],
//              "rows": [[cell, ...], ...]}, ...]}: several named tables in one document.
void write_json(std::ostream& out, const std::vector<std::pair<std::string, Table>>& tables);

}  // namespace riskstep
