// riskstep: one binary, a subcommand for each way of running the studies.
#include <mpi.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "jobs/backtest_var/backtest_command.h"
#include "jobs/backtest_var/compare_command.h"
#include "jobs/cli/aggregate_command.h"
#include "jobs/cli/cpu_kernels.h"
#include "jobs/cli/report_command.h"
#include "jobs/cli/runtime_libraries.h"
#include "jobs/cli/slurm_command.h"
#include "jobs/cli/sweep_command.h"
#include "jobs/registry.h"
#include "jobs/train_stepnet/train_command.h"
#include "pipeline/core/printable.h"
#include "pipeline/engine/launcher_watch.h"
#include "pipeline/version.h"

int main(int argc, char** argv) {
  const int launcher = static_cast<int>(getppid());
  // Every subcommand may run under mpirun; without it MPI gives a world of one rank.
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int world_rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  riskstep::stop_when_launcher_dies(launcher);
  try {
    riskstep::pin_cpu_kernels(riskstep::requested_cpu_kernels(argc, argv));
  } catch (const std::invalid_argument& error) {
    if (world_rank == 0)
      std::cerr << "riskstep: " << riskstep::printable(error.what()) << std::endl;
    MPI_Finalize();
    return 2;
  }
  riskstep::pin_blas_threads();
  riskstep::record_runtime_libraries();

  const riskstep::JobRegistry registry = riskstep::make_job_registry();
  CLI::App app{"riskstep: distributed VaR backtests and StepNet training"};
  app.set_version_flag("--version", std::string(RISKSTEP_VERSION) + " (" RISKSTEP_GIT_COMMIT ")");
  app.require_subcommand(1);
  app.fallthrough();                     // --cpu-kernels may follow the command too
  std::string cpu_kernels = "baseline";  // applied above, before anything computed
  app.add_option("--cpu-kernels", cpu_kernels,
                 "CPU kernels: baseline (the same numbers on every x86-64 CPU with AVX2) or "
                 "native (this CPU's own, may be faster); also RISKSTEP_CPU_KERNELS")
      ->check(CLI::IsMember({"baseline", "native"}))
      ->capture_default_str();
  int exit_code = 0;
  riskstep::add_backtest_command(app, registry, exit_code);
  riskstep::add_train_command(app, registry, exit_code);
  riskstep::add_sweep_command(app, registry, exit_code);
  riskstep::add_aggregate_command(app, registry, exit_code);
  riskstep::add_compare_command(app, exit_code);
  riskstep::add_report_command(app, exit_code);
  riskstep::add_slurm_command(app, registry, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // Bad input is exit status 2 (README, Commands); --help and --version are not errors.
    if (error.get_exit_code() == 0) {
      app.exit(error);
    } else if (world_rank == 0) {
      std::cerr << "riskstep: " << riskstep::printable(error.what())
                << " (riskstep --help lists the commands, riskstep COMMAND --help their options)"
                << std::endl;
    }
    MPI_Finalize();
    return error.get_exit_code() == 0 ? 0 : 2;
  } catch (const std::exception& error) {
    // A bug or an unforeseen system error: one line, and no rank left waiting in a collective.
    std::cerr << "riskstep (rank " << world_rank << "): " << riskstep::printable(error.what())
              << std::endl;
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size > 1) MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Finalize();
    return 1;
  }
  // Tables and CSV go to stdout: a full disk must not pass for a written table.
  std::cout.flush();
  if (!std::cout && exit_code == 0) {
    std::cerr << "riskstep: could not write standard output (full disk?)" << std::endl;
    exit_code = 2;
  }
  MPI_Finalize();
  return exit_code;
}
