#pragma once
// Printing a Table for people (Markdown, numbers to 4 significant digits) and for programs (CSV,
// full precision, RFC 4180 quoting).
#include <ostream>

#include "pipeline/core/result.h"

namespace riskstep {

void write_markdown(std::ostream& out, const Table& table);
void write_csv(std::ostream& out, const Table& table);

}  // namespace riskstep
