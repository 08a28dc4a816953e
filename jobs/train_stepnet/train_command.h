#pragma once
// `riskstep train ...`: one (data-parallel) StepNet training, run by every rank of mpirun.
#include <CLI/CLI.hpp>

#include "pipeline/core/job.h"

namespace riskstep {

// Registers the subcommand; on completion sets exit_code (0 ok, 1 failure, 2 bad input, 3
// stopped early with its checkpoint kept).
void add_train_command(CLI::App& app, const JobRegistry& registry, int& exit_code);

}  // namespace riskstep
