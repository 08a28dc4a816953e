#pragma once
// `riskstep slurm submit SPEC ...`: render an sbatch script from slurm/*.sbatch.in and submit it;
// `riskstep slurm requeue`: called by those scripts when the time limit is near.
#include <CLI/CLI.hpp>

#include "pipeline/core/job.h"

namespace riskstep {

// Sets exit_code when a subcommand ran: 0 ok, 1 Slurm failed, 2 bad input.
void add_slurm_command(CLI::App& app, const JobRegistry& registry, int& exit_code);

}  // namespace riskstep
