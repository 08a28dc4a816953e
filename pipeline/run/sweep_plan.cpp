#include "pipeline/run/sweep_plan.h"

#include <filesystem>

#include "pipeline/comm/mpi_wait.h"
#include "pipeline/run/shard.h"

namespace riskstep {

namespace {

const JobKind& kind_of(const SweepSpec& spec, const JobRegistry& registry) {
  try {
    return registry.kind(spec.kind);
  } catch (const std::exception& error) {
    throw SpecError(spec.locations.at("kind") + ": " + error.what());
  }
}

// Every task of the spec into plan.tasks, each checked by `job` when given (rank 0).
void expand_into(SweepPlan& plan, const JobKind& kind, size_t max_tasks, const Job* job) {
  for_each_task(plan.spec, kind.settings, max_tasks, kind.input_digest, [&](Task&& task) {
    if (!plan.tasks.add(task) || !job) return;
    try {
      job->validate(task);
    } catch (const std::exception& error) {
      throw SpecError(plan.spec.source + ": task " + task.id + " (" +
                      describe(task, kind.settings) + "): " + error.what());
    }
  });
}

void select_tasks(const SweepOptions& options, SweepPlan& plan) {
  if (options.merge_only && !options.shard.empty())
    throw SpecError("--merge-only and --shard exclude each other (the merge covers every shard)");
  plan.selected.clear();
  if (options.shard.empty()) {
    for (size_t i = 0; i < plan.tasks.size(); ++i) plan.selected.push_back(i);
  } else {
    plan.selected = shard_task_indices(plan.tasks, parse_shard(options.shard));
  }
}

}  // namespace

SweepPlan make_sweep_plan(const SweepOptions& options, const JobRegistry& registry,
                          int world_size) {
  SweepPlan plan;
  plan.spec = load_sweep_spec(options.spec_path, options.overrides);
  plan.base_dir = std::filesystem::absolute(options.spec_path).parent_path().string();
  const JobKind& kind = kind_of(plan.spec, registry);
  plan.settings = kind.settings;
  expand_into(plan, kind, options.max_tasks, kind.make().get());
  if (plan.tasks.empty())
    throw SpecError(plan.spec.source + ": the grid expands to no tasks (everything excluded?)");
  if (plan.spec.ranks_per_task > world_size && !options.dry_run)
    throw SpecError(plan.spec.source + ": ranks_per_task = " +
                    std::to_string(plan.spec.ranks_per_task) + " but the sweep runs on " +
                    std::to_string(world_size) + " rank(s): start it with mpirun -np " +
                    std::to_string(plan.spec.ranks_per_task) + " or more");
  select_tasks(options, plan);
  plan.out_dir = options.out_dir.empty() ? plan.spec.out : options.out_dir;
  if (plan.out_dir.empty() && !options.dry_run)  // a dry run lists the tasks without one
    throw SpecError(plan.spec.source + ": no output directory: give --out DIR or out = \"...\"");
  return plan;
}

void share_sweep_plan(MPI_Comm comm, const SweepOptions& options, const JobRegistry& registry,
                      SweepPlan& plan) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::string text = plan.spec.text, source = plan.spec.source;
  broadcast_text_patiently(text, 0, comm);
  broadcast_text_patiently(source, 0, comm);
  broadcast_text_patiently(plan.base_dir, 0, comm);
  broadcast_text_patiently(plan.out_dir, 0, comm);
  if (rank == 0) return;
  plan.spec = parse_sweep_spec(text, source, plan.base_dir, options.overrides);
  const JobKind& kind = registry.kind(plan.spec.kind);
  plan.settings = kind.settings;
  expand_into(plan, kind, options.max_tasks, nullptr);
  select_tasks(options, plan);
}

}  // namespace riskstep
