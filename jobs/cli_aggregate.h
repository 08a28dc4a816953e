#pragma once
// `riskstep aggregate`: the VaR study table from one or more results files or sweep directories.
#include <CLI/CLI.hpp>

namespace riskstep {

void add_aggregate_command(CLI::App& app, int& exit_code);

}  // namespace riskstep
