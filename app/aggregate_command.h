#pragma once
// `riskstep aggregate`: each study's table from one or more results files or sweep directories.
#include <CLI/CLI.hpp>

#include "pipeline/core/job.h"

namespace riskstep {

void add_aggregate_command(CLI::App& app, const JobRegistry& registry, int& exit_code);

}  // namespace riskstep
