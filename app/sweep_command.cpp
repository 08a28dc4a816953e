#include "app/sweep_command.h"

#include <mpi.h>

#include <iostream>
#include <memory>

#include "pipeline/run/sweep.h"

namespace riskstep {

void add_sweep_command(CLI::App& app, const JobRegistry& registry, int& exit_code) {
  auto options = std::make_shared<SweepOptions>();
  CLI::App* command = app.add_subcommand("sweep", "Run every task of a sweep spec over MPI");
  command->footer(R"(The spec format is in docs/specs.md; the output layout in docs/hdf5-layout.md.
Re-running the same command resumes: finished tasks (ok or failed) are skipped, partial task
files are recomputed. SIGUSR1 stops cleanly (no new task; exit 3); SIGINT/SIGTERM at once.
Exit status: 0 all ok, 1 some task failed, 2 bad input, 3 tasks left for a later run
(SIGUSR1, or tasks that stopped early, e.g. stop_after_epochs).

Examples:
  riskstep sweep jobs/specs/smoke.toml --out out/smoke --dry-run
  mpirun -np 8 riskstep sweep jobs/specs/herrig2023.toml --out out/herrig2023
  riskstep sweep jobs/specs/herrig2023.toml --out out/h --set grid.model=hs,garch --set seed=7
  riskstep sweep jobs/specs/herrig2023.toml --out out/herrig2023 --retry-failed
  riskstep sweep jobs/specs/herrig2023.toml --out out/h --shard 3/16   # one array task
  riskstep sweep jobs/specs/herrig2023.toml --out out/h --merge-only)");
  command->add_option("spec", options->spec_path, "Sweep spec (TOML)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--out,-o", options->out_dir,
                      "Output directory (default: the spec's `out`, relative to the spec)");
  command->add_flag("--dry-run", options->dry_run,
                    "List the tasks (id, state in the output directory, parameters) and exit");
  command->add_flag("--retry-failed", options->retry_failed,
                    "Run the tasks recorded as failed again (a plain rerun skips them)");
  command
      ->add_option("--set", options->overrides,
                   "Override a spec value: key=value with key seed, kind, ranks_per_task, out, "
                   "fixed.NAME, grid.NAME or NAME (grid lists: a,b,c or 0-9)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  command
      ->add_option("--shard", options->shard,
                   "Run only shard i of n (0 <= i < n): the tasks at positions i, i+n, ... of "
                   "the id-sorted list, for a Slurm job array; writes no results.h5")
      ->type_name("i/n");
  command->add_flag("--merge-only", options->merge_only,
                    "Run nothing: merge the task files in DIR into results.h5 (after the shards); "
                    "exit 1 when tasks are missing or failed");
  command
      ->add_option("--device", options->device,
                   "Where tasks with device \"auto\" compute; cuda binds each rank to a GPU "
                   "of its node")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->capture_default_str();
  command->add_flag("--wait", options->wait,
                    "When another run holds the output directory, wait for it instead of refusing");
  command
      ->add_option("--max-tasks", options->max_tasks,
                   "Refuse a grid of more combinations than this (checked before expanding it)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_flag("--force", options->force,
                    "Run into an output directory made from a different sweep");
  CLI::Option* quiet = command->add_flag(
      "--no-progress", [options](int64_t) { options->progress = "never"; },
      "Do not print the progress line");
  CLI::Option* loud = command->add_flag(
      "--progress", [options](int64_t) { options->progress = "always"; },
      "Print the progress line also when stderr is not a terminal (logs, Slurm: every 5 s)");
  command->callback([options, &registry, &exit_code, quiet, loud] {
    if (quiet->count() > 0 && loud->count() > 0)  // CLI11 would apply them in its order, not yours
      throw CLI::ValidationError("--progress and --no-progress", "give one of them");
    exit_code = run_sweep(MPI_COMM_WORLD, *options, registry, std::cout, std::cerr);
  });
}

}  // namespace riskstep
