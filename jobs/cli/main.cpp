// riskstep: one binary, a subcommand for each way of running the studies.
#include <mpi.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "jobs/backtest_var/backtest_command.h"
#include "jobs/cli/aggregate_command.h"
#include "jobs/cli/slurm_command.h"
#include "jobs/cli/sweep_command.h"
#include "jobs/registry.h"
#include "jobs/train_stepnet/train_command.h"
#include "pipeline/version.h"

int main(int argc, char** argv) {
  // Every subcommand may run under mpirun; without it MPI gives a world of one rank.
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int world_rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);

  const riskstep::JobRegistry registry = riskstep::make_job_registry();
  CLI::App app{"riskstep: distributed VaR backtests and StepNet training"};
  app.set_version_flag("--version", std::string(RISKSTEP_VERSION) + " (" RISKSTEP_GIT_COMMIT ")");
  app.require_subcommand(1);
  int exit_code = 0;
  riskstep::add_backtest_command(app, registry, exit_code);
  riskstep::add_train_command(app, registry, exit_code);
  riskstep::add_sweep_command(app, registry, exit_code);
  riskstep::add_aggregate_command(app, registry, exit_code);
  riskstep::add_slurm_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // Bad input is exit status 2 (README, Commands); --help and --version are not errors.
    const int status = app.exit(error);
    MPI_Finalize();
    return status == 0 ? 0 : 2;
  }
  MPI_Finalize();
  return exit_code;
}
