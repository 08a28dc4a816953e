#pragma once
// `riskstep report DIR`: one self-contained HTML page of a run (study tables, figures, what was
// run), written by report/report.py with riskstep's own tables.
#include <CLI/CLI.hpp>

namespace riskstep {

// Sets exit_code: 0 written, 1 the report script failed, 2 bad input.
void add_report_command(CLI::App& app, int& exit_code);

}  // namespace riskstep
