#include "pipeline/sweep.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "pipeline/farm.h"
#include "pipeline/interrupt.h"
#include "pipeline/mpi_communicator.h"
#include "pipeline/mpi_wait.h"
#include "pipeline/progress.h"
#include "pipeline/result_store.h"
#include "pipeline/shard.h"
#include "pipeline/stop_signal.h"
#include "pipeline/sweep_directory.h"
#include "pipeline/sweep_spec.h"

namespace riskstep {

namespace {

constexpr size_t kFailuresListed = 20;

void broadcast_string(std::string& text, MPI_Comm comm) {
  uint64_t size = text.size();
  broadcast_patiently(&size, 1, MPI_UINT64_T, 0, comm);
  text.resize(size);
  broadcast_patiently(text.data(), static_cast<int>(size), MPI_CHAR, 0, comm);
}

int broadcast_int(int value, MPI_Comm comm) {
  broadcast_patiently(&value, 1, MPI_INT, 0, comm);
  return value;
}

std::string describe(const Task& task) {
  std::string text = task.kind;
  for (const auto& [name, value] : task.params) text += " " + name + "=" + param_to_string(value);
  if (task.ranks > 1) text += " ranks=" + std::to_string(task.ranks);
  return text;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string joined;
  for (const auto& line : lines) joined += (joined.empty() ? "" : "\n") + line;
  return joined;
}

// Everything rank 0 checks before any work; returns the message of the first problem.
struct Plan {
  SweepSpec spec;
  std::vector<Task> tasks;
  std::string out_dir;
  std::vector<size_t> selected;  // the tasks this run is responsible for (a shard, or all)
};

Plan make_plan(const SweepOptions& options, const JobRegistry& registry, int world_size) {
  Plan plan;
  plan.spec = load_sweep_spec(options.spec_path, options.overrides);
  std::unique_ptr<Job> job;
  try {
    job = registry.make(plan.spec.kind);
  } catch (const std::exception& error) {
    throw SpecError(plan.spec.source + ":" + std::to_string(plan.spec.kind_line) +
                    ": key 'kind': " + error.what());
  }
  plan.tasks = expand_tasks(plan.spec);
  if (plan.tasks.empty())
    throw SpecError(plan.spec.source + ": the grid expands to no tasks (everything excluded?)");
  for (const auto& task : plan.tasks) {
    try {
      job->validate(task);
    } catch (const std::exception& error) {
      throw SpecError(plan.spec.source + ": task " + task.id + " (" + describe(task) +
                      "): " + error.what());
    }
  }
  if (plan.spec.ranks_per_task > world_size)
    throw SpecError(plan.spec.source + ": ranks_per_task = " +
                    std::to_string(plan.spec.ranks_per_task) + " but the sweep runs on " +
                    std::to_string(world_size) + " rank(s): start it with mpirun -np " +
                    std::to_string(plan.spec.ranks_per_task) + " or more");
  if (options.merge_only && !options.shard.empty())
    throw SpecError("--merge-only and --shard exclude each other (the merge covers every shard)");
  if (options.shard.empty()) {
    for (size_t i = 0; i < plan.tasks.size(); ++i) plan.selected.push_back(i);
  } else {
    plan.selected = shard_task_indices(plan.tasks, parse_shard(options.shard));
  }
  plan.out_dir = options.out_dir.empty() ? plan.spec.out : options.out_dir;
  if (plan.out_dir.empty())
    throw SpecError(plan.spec.source + ": no output directory: give --out DIR or out = \"...\"");
  return plan;
}

void print_listing(std::ostream& out, const Plan& plan,
                   const std::vector<std::optional<TaskRecord>>& on_disk) {
  size_t done = 0, failed = 0;
  for (size_t i : plan.selected) {
    const char* state = "pending";
    if (on_disk[i]) {
      state = on_disk[i]->status == "ok" ? "done" : "failed";
      (on_disk[i]->status == "ok" ? done : failed) += 1;
    }
    out << plan.tasks[i].id << "  " << state << "  " << describe(plan.tasks[i]) << "\n";
  }
  out << plan.selected.size() << " tasks (" << done << " done, " << failed << " failed, "
      << plan.selected.size() - done - failed << " pending) -> " << plan.out_dir << "\n";
}

}  // namespace

std::string task_file_path(const std::string& out_dir, const std::string& task_id) {
  return (std::filesystem::path(out_dir) / "tasks" / (task_id + ".h5")).string();
}

int run_sweep(MPI_Comm comm, const SweepOptions& options, const JobRegistry& registry,
              std::ostream& out, std::ostream& err) {
  // Every HDF5 file open callocs ~1 MB of cache tables. By default glibc hands that back to the
  // kernel on close (mmap threshold, heap trimming), so the next open page-faults and zeroes it
  // again: that was most of the cost of writing and merging task files (10x under load).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);

  // Rank 0 reads and checks; the others parse the very same text, so all hold the same tasks.
  Plan plan;
  std::string error_message, text, source, base_dir;
  if (rank == 0) {
    try {
      plan = make_plan(options, registry, size);
      text = plan.spec.text;
      source = plan.spec.source;
      base_dir = std::filesystem::absolute(options.spec_path).parent_path().string();
    } catch (const std::exception& error) {
      error_message = error.what();
    }
  }
  broadcast_string(error_message, comm);
  if (!error_message.empty()) {
    if (rank == 0) err << "riskstep sweep: " << error_message << "\n";
    return 2;
  }
  broadcast_string(text, comm);
  broadcast_string(source, comm);
  broadcast_string(base_dir, comm);
  broadcast_string(plan.out_dir, comm);
  if (rank != 0) {
    plan.spec = parse_sweep_spec(text, source, base_dir, options.overrides);
    plan.tasks = expand_tasks(plan.spec);
  }
  const std::string& dir = plan.out_dir;

  // Rank 0 owns the directory: checks it, records the spec, and reads what is already done.
  std::vector<std::optional<TaskRecord>> on_disk;
  std::vector<size_t> pending;
  if (rank == 0) {
    try {
      if (options.dry_run) {
        on_disk = scan_task_files(dir, plan.tasks);
        print_listing(out, plan, on_disk);
      } else {
        prepare_sweep_directory(dir, plan.spec, plan.tasks, options.force, options.shard.empty());
        on_disk = scan_task_files(dir, plan.tasks);
        for (size_t i : plan.selected) {
          const bool redo = !options.merge_only &&
                            (!on_disk[i] || (options.retry_failed && on_disk[i]->status != "ok"));
          if (redo) {
            pending.push_back(i);
            on_disk[i].reset();
          }
        }
      }
    } catch (const std::exception& error) {
      error_message = error.what();
    }
  }
  broadcast_string(error_message, comm);
  if (!error_message.empty()) {
    if (rank == 0) err << "riskstep sweep: " << error_message << "\n";
    return 2;
  }
  if (options.dry_run) return 0;

  RunMetadata metadata = collect_run_metadata(plan.spec.text, size);
  metadata.spec_overrides = join_lines(options.overrides);
  std::unique_ptr<Job> job = registry.make(plan.spec.kind);
  StopRequestGuard stop_guard;  // SIGUSR1 (time limit near) must not kill a rank
  InterruptGuard interrupt_guard(rank == 0
                                     ? "riskstep sweep: interrupted; finished tasks are kept in " +
                                           dir + "/tasks; run the same command again to resume"
                                     : "");

  // Work units: pending tasks grouped by the job's batch key (a batch runs through run_batch,
  // e.g. network seeds trained together); tasks without a key run alone. Every rank builds the
  // same units from rank 0's pending list.
  uint64_t pending_count = pending.size();
  broadcast_patiently(&pending_count, 1, MPI_UINT64_T, 0, comm);
  std::vector<uint64_t> pending_list(pending.begin(), pending.end());
  pending_list.resize(pending_count);
  broadcast_patiently(pending_list.data(), static_cast<int>(pending_count), MPI_UINT64_T, 0, comm);
  std::vector<std::vector<size_t>> units;
  std::map<std::string, size_t> unit_of_key;
  for (uint64_t index : pending_list) {
    const Task& task = plan.tasks[index];
    const std::string key = job->batch_key(task);
    if (key.empty()) {
      units.push_back({index});
      continue;
    }
    const std::string unit_key = key + "\n" + std::to_string(task.ranks);
    auto [it, inserted] = unit_of_key.emplace(unit_key, units.size());
    if (inserted) units.emplace_back();
    units[it->second].push_back(index);
  }

  auto store = [&](TaskRecord& record) {
    CriticalWrite critical;
    const std::string path = task_file_path(dir, record.task.id);
    try {
      write_task_file(path, metadata, record);
    } catch (const std::exception& error) {
      record.status = "failed";
      record.error = std::string("storing the result failed: ") + error.what();
      record.result = Result{};
      try {
        write_task_file(path, metadata, record);
      } catch (const std::exception& again) {
        std::fprintf(stderr, "riskstep sweep: task %s: %s\n", record.task.id.c_str(), again.what());
      }
    }
  };
  auto settle = [](TaskRecord& record, Result result, const std::string& error) {
    record.result = std::move(result);
    if (!error.empty()) {
      record.status = "failed";
      record.error = error;
    } else if (!all_finite(record.result)) {
      record.status = "failed";
      record.error = "the result holds non-finite values (NaN or Inf)";
    }
    if (record.status != "ok") record.result = Result{};
  };

  const TaskRunner runner = [&](size_t unit_index, const FarmSlot& slot) {
    const std::vector<size_t>& unit = units[unit_index];
    const Task& first = plan.tasks[unit.front()];
    std::unique_ptr<MpiCommunicator> group;
    TaskContext context;
    context.rank_in_group = slot.rank_in_group;
    context.group_size = slot.group_size;
    if (slot.group_size > 1) {
      group = std::make_unique<MpiCommunicator>(slot.group_comm);
      context.group = group.get();
    }
    context.checkpoint_dir = (std::filesystem::path(dir) / "checkpoints" / first.id).string();
    context.log = [id = first.id](const std::string& line) {
      std::fprintf(stderr, "task %s: %s\n", id.c_str(), line.c_str());
    };
    std::vector<TaskRecord> records(unit.size());
    std::vector<Task> tasks;
    for (size_t k = 0; k < unit.size(); ++k) {
      records[k].task = plan.tasks[unit[k]];
      records[k].rank = slot.world_rank;
      tasks.push_back(plan.tasks[unit[k]]);
    }
    const auto start = std::chrono::steady_clock::now();
    auto failure_text = [](std::exception_ptr thrown) -> std::string {
      try {
        std::rethrow_exception(thrown);
      } catch (const std::exception& error) {
        return error.what();
      } catch (...) {
        return "unknown exception";
      }
    };
    if (unit.size() == 1) {
      Result result;
      std::string error;
      try {
        result = job->run(tasks.front(), context);
      } catch (...) {
        error = failure_text(std::current_exception());
      }
      settle(records.front(), std::move(result), error);
    } else {
      std::vector<TaskOutcome> outcomes;
      std::string error;
      try {
        outcomes = job->run_batch(tasks, context);
        if (outcomes.size() != tasks.size())
          error = "run_batch returned " + std::to_string(outcomes.size()) + " outcomes for " +
                  std::to_string(tasks.size()) + " tasks";
      } catch (...) {
        error = failure_text(std::current_exception());
      }
      for (size_t k = 0; k < records.size(); ++k) {
        if (!error.empty())
          settle(records[k], Result{}, error);
        else
          settle(records[k], std::move(outcomes[k].result), outcomes[k].error);
      }
    }
    // A batch's wall time is shared evenly by its tasks.
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bool all_ok = true;
    for (auto& record : records) {
      record.wall_seconds = wall / static_cast<double>(records.size());
      all_ok = all_ok && record.status == "ok";
    }
    if (slot.rank_in_group != 0) return all_ok;
    for (auto& record : records) {
      store(record);
      all_ok = all_ok && record.status == "ok";
    }
    return all_ok;
  };

  std::vector<int> ranks_needed;
  std::vector<double> unit_costs;
  std::vector<size_t> all_units(units.size());
  for (size_t u = 0; u < units.size(); ++u) {
    ranks_needed.push_back(plan.tasks[units[u].front()].ranks);
    double cost = 0.0;
    for (size_t index : units[u]) cost += job->relative_cost(plan.tasks[index]);
    unit_costs.push_back(cost);
    all_units[u] = u;
  }
  // Longest first: with dynamic scheduling the last units decide when the last rank finishes.
  std::stable_sort(all_units.begin(), all_units.end(),
                   [&](size_t a, size_t b) { return unit_costs[a] > unit_costs[b]; });
  std::optional<ProgressLine> progress;
  FarmOptions farm_options;
  farm_options.coordinator_works = options.coordinator_works;
  if (rank == 0 && options.progress) {
    progress.emplace(stderr, units.size());
    farm_options.on_progress = [&](size_t done, size_t failed) { progress->update(done, failed); };
  }
  const FarmCounts unit_counts = run_farm(comm, ranks_needed, all_units, runner, farm_options);
  if (progress) progress->finish(unit_counts.done, unit_counts.failed);

  int status = 0;
  if (rank == 0) {
    std::vector<TaskRecord> records;
    std::vector<const TaskRecord*> failures;
    size_t missing = 0, run_now = 0;
    for (size_t i : pending) {
      on_disk[i] = read_task_file(task_file_path(dir, plan.tasks[i].id));
      if (on_disk[i]) ++run_now;
    }
    for (size_t i : plan.selected) {
      if (!on_disk[i]) on_disk[i] = read_task_file(task_file_path(dir, plan.tasks[i].id));
      if (on_disk[i])
        records.push_back(*on_disk[i]);
      else
        ++missing;
    }
    for (const auto& record : records)
      if (record.status != "ok") failures.push_back(&record);
    const bool sharded = !options.shard.empty();
    std::string written = (std::filesystem::path(dir) / "results.h5").string();
    if (sharded) {
      written =
          (std::filesystem::path(dir) / "tasks").string() + " (merge the shards with --merge-only)";
    } else {
      try {
        CriticalWrite critical;
        write_results_file(written, metadata, records);
      } catch (const std::exception& error) {
        err << "riskstep sweep: " << error.what() << "\n";
        status = 1;
      }
    }
    out << "sweep: " << (sharded ? "shard " + options.shard + ": " : std::string())
        << plan.selected.size() << " tasks: " << records.size() - failures.size() << " ok, "
        << failures.size() << " failed";
    if (missing) out << ", " << missing << " missing";
    out << " (" << run_now << " run now, " << plan.selected.size() - pending.size()
        << " already done) -> " << written << "\n";
    for (size_t f = 0; f < failures.size() && f < kFailuresListed; ++f)
      out << "  failed " << failures[f]->task.id << " (" << describe(failures[f]->task)
          << "): " << failures[f]->error << "\n";
    if (failures.size() > kFailuresListed)
      out << "  ... and " << failures.size() - kFailuresListed << " more\n";
    if (!failures.empty()) out << "rerun with --retry-failed to run only the failed tasks\n";
    if (missing && options.merge_only) {
      size_t listed = 0;
      for (size_t i : plan.selected)
        if (!on_disk[i] && listed++ < kFailuresListed)
          out << "  missing " << plan.tasks[i].id << " (" << describe(plan.tasks[i]) << ")\n";
    }
    if (!failures.empty() || missing) status = 1;
    if (unit_counts.stopped && missing) {
      out << "stopped on request (SIGUSR1): " << missing
          << " tasks not run; run the same command again to continue\n";
      status = kStoppedEarlyStatus;
    }
    out.flush();
  }
  return broadcast_int(status, comm);
}

}  // namespace riskstep
