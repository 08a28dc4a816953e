// riskstep's command line: a subcommand for each way of running the studies. The commands every
// kind shares are added here; each kind in the registry adds its own (JobKind::add_commands).
#include <mpi.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/aggregate_command.h"
#include "app/cpu_kernels.h"
#include "app/describe_command.h"
#include "app/report_command.h"
#include "app/riskstep_main.h"
#include "app/runtime_libraries.h"
#include "app/slurm_command.h"
#include "app/sweep_command.h"
#include "pipeline/core/exit_status.h"
#include "pipeline/core/printable.h"
#include "pipeline/process/launcher_watch.h"
#include "pipeline/store/hdf5_image.h"
#include "pipeline/version.h"

namespace {

// Before anything computes: the CPU kernels change numbers (app/cpu_kernels.h).
bool set_up_libraries(int argc, char** argv, int world_rank) {
  try {
    riskstep::pin_cpu_kernels(riskstep::requested_cpu_kernels(argc, argv));
  } catch (const std::invalid_argument& error) {
    if (world_rank == 0)
      std::cerr << "riskstep: " << riskstep::printable(error.what()) << std::endl;
    return false;
  }
  riskstep::pin_blas_threads();
  riskstep::record_runtime_libraries();
  return true;
}

void add_commands(CLI::App& app, const riskstep::JobRegistry& registry, int& exit_status) {
  for (const std::string& name : registry.names())
    if (const auto& kind = registry.kind(name); kind.add_commands)
      kind.add_commands(app, registry, exit_status);
  riskstep::add_sweep_command(app, registry, exit_status);
  riskstep::add_aggregate_command(app, registry, exit_status);
  riskstep::add_report_command(app, exit_status);
  riskstep::add_slurm_command(app, registry, exit_status);
  riskstep::add_describe_command(app, registry, exit_status);
}

}  // namespace

namespace riskstep {

int riskstep_main(int argc, char** argv, const JobRegistry& registry) {
  namespace status = riskstep::exit_status;
  const int launcher = static_cast<int>(getppid());
  riskstep::hdf5::skip_library_cleanup_at_exit();
  // Every subcommand may run under mpirun; without it MPI gives a world of one rank.
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int world_rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  riskstep::stop_when_launcher_dies(launcher);
  if (!set_up_libraries(argc, argv, world_rank)) {
    MPI_Finalize();
    return status::bad_input;
  }

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
  int exit_status = status::ok;
  add_commands(app, registry, exit_status);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version are not errors.
    if (error.get_exit_code() == 0) {
      app.exit(error);
    } else if (world_rank == 0) {
      std::cerr << "riskstep: " << riskstep::printable(error.what())
                << " (riskstep --help lists the commands, riskstep COMMAND --help their options)"
                << std::endl;
    }
    MPI_Finalize();
    return error.get_exit_code() == 0 ? status::ok : status::bad_input;
  } catch (const std::exception& error) {
    // A bug or an unforeseen system error: one line, and no rank left waiting in a collective.
    std::cerr << "riskstep (rank " << world_rank << "): " << riskstep::printable(error.what())
              << std::endl;
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size > 1) MPI_Abort(MPI_COMM_WORLD, status::failed);
    MPI_Finalize();
    return status::failed;
  }
  // Tables and CSV go to stdout: a full disk must not pass for a written table.
  std::cout.flush();
  if (!std::cout && exit_status == status::ok) {
    std::cerr << "riskstep: could not write standard output (full disk?)" << std::endl;
    exit_status = status::bad_input;
  }
  MPI_Finalize();
  return exit_status;
}

}  // namespace riskstep
