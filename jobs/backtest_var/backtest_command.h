#pragma once
// `riskstep backtest`: one index and period, several models (and network seeds), in one process,
// into one HDF5 results file, with the results table printed.
#include <CLI/CLI.hpp>

#include "pipeline/core/job.h"

namespace riskstep {

void add_backtest_command(CLI::App& app, const JobRegistry& registry, int& exit_code);

}  // namespace riskstep
