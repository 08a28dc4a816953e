#pragma once
// `riskstep train ...`: one (data-parallel) StepNet training, run by every rank of mpirun.
#include <CLI/CLI.hpp>

namespace riskstep {

// Registers the subcommand; on completion sets exit_code (0 ok, 2 bad input, 1 failure).
void add_train_command(CLI::App& app, int& exit_code);

}  // namespace riskstep
