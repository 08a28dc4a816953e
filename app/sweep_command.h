#pragma once
// `riskstep sweep SPEC --out DIR`: a whole grid over MPI (run it under mpirun, srun, or alone).
#include <CLI/CLI.hpp>

#include "pipeline/core/job.h"

namespace riskstep {

// Exit status through `exit_code`: 0 all tasks ok, 1 some task failed, 2 bad input.
void add_sweep_command(CLI::App& app, const JobRegistry& registry, int& exit_code);

}  // namespace riskstep
