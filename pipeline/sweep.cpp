#include "pipeline/sweep.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "pipeline/farm.h"
#include "pipeline/interrupt.h"
#include "pipeline/mpi_communicator.h"
#include "pipeline/progress.h"
#include "pipeline/result_store.h"
#include "pipeline/sweep_directory.h"
#include "pipeline/sweep_spec.h"

namespace riskstep {

namespace {

constexpr size_t kFailuresListed = 20;

void broadcast_string(std::string& text, MPI_Comm comm) {
  uint64_t size = text.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, 0, comm);
  text.resize(size);
  MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, comm);
}

int broadcast_int(int value, MPI_Comm comm) {
  MPI_Bcast(&value, 1, MPI_INT, 0, comm);
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
  plan.out_dir = options.out_dir.empty() ? plan.spec.out : options.out_dir;
  if (plan.out_dir.empty())
    throw SpecError(plan.spec.source + ": no output directory: give --out DIR or out = \"...\"");
  return plan;
}

void print_listing(std::ostream& out, const Plan& plan,
                   const std::vector<std::optional<TaskRecord>>& on_disk) {
  size_t done = 0, failed = 0;
  for (size_t i = 0; i < plan.tasks.size(); ++i) {
    const char* state = "pending";
    if (on_disk[i]) {
      state = on_disk[i]->status == "ok" ? "done" : "failed";
      (on_disk[i]->status == "ok" ? done : failed) += 1;
    }
    out << plan.tasks[i].id << "  " << state << "  " << describe(plan.tasks[i]) << "\n";
  }
  out << plan.tasks.size() << " tasks (" << done << " done, " << failed << " failed, "
      << plan.tasks.size() - done - failed << " pending) -> " << plan.out_dir << "\n";
}

}  // namespace

std::string task_file_path(const std::string& out_dir, const std::string& task_id) {
  return (std::filesystem::path(out_dir) / "tasks" / (task_id + ".h5")).string();
}

int run_sweep(MPI_Comm comm, const SweepOptions& options, const JobRegistry& registry,
              std::ostream& out, std::ostream& err) {
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
        prepare_sweep_directory(dir, plan.spec, plan.tasks, options.force);
        on_disk = scan_task_files(dir, plan.tasks);
        for (size_t i = 0; i < plan.tasks.size(); ++i) {
          const bool redo = !on_disk[i] || (options.retry_failed && on_disk[i]->status != "ok");
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
  InterruptGuard interrupt_guard(rank == 0
                                     ? "riskstep sweep: interrupted; finished tasks are kept in " +
                                           dir + "/tasks; run the same command again to resume"
                                     : "");

  const TaskRunner runner = [&](size_t index, const FarmSlot& slot) {
    const Task& task = plan.tasks[index];
    std::unique_ptr<MpiCommunicator> group;
    TaskContext context;
    context.rank_in_group = slot.rank_in_group;
    context.group_size = slot.group_size;
    if (slot.group_size > 1) {
      group = std::make_unique<MpiCommunicator>(slot.group_comm);
      context.group = group.get();
    }
    context.checkpoint_dir = (std::filesystem::path(dir) / "checkpoints" / task.id).string();
    context.log = [id = task.id](const std::string& line) {
      std::fprintf(stderr, "task %s: %s\n", id.c_str(), line.c_str());
    };
    TaskRecord record;
    record.task = task;
    record.rank = slot.world_rank;
    const auto start = std::chrono::steady_clock::now();
    try {
      record.result = job->run(task, context);
      if (!all_finite(record.result)) {
        record.status = "failed";
        record.error = "the result holds non-finite values (NaN or Inf)";
      }
    } catch (const std::exception& error) {
      record.status = "failed";
      record.error = error.what();
    } catch (...) {
      record.status = "failed";
      record.error = "unknown exception";
    }
    record.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (record.status != "ok") record.result = Result{};
    if (slot.rank_in_group != 0) return record.status == "ok";

    CriticalWrite critical;
    const std::string path = task_file_path(dir, task.id);
    try {
      write_task_file(path, metadata, record);
    } catch (const std::exception& error) {
      record.status = "failed";
      record.error = std::string("storing the result failed: ") + error.what();
      record.result = Result{};
      try {
        write_task_file(path, metadata, record);
      } catch (const std::exception& again) {
        std::fprintf(stderr, "riskstep sweep: task %s: %s\n", task.id.c_str(), again.what());
      }
    }
    return record.status == "ok";
  };

  std::vector<int> ranks_needed;
  for (const auto& task : plan.tasks) ranks_needed.push_back(task.ranks);
  std::optional<ProgressLine> progress;
  FarmOptions farm_options;
  farm_options.coordinator_works = options.coordinator_works;
  if (rank == 0 && options.progress) {
    progress.emplace(stderr, pending.size());
    farm_options.on_progress = [&](size_t done, size_t failed) { progress->update(done, failed); };
  }
  const FarmCounts counts = run_farm(comm, ranks_needed, pending, runner, farm_options);
  if (progress) progress->finish(counts.done, counts.failed);

  int status = 0;
  if (rank == 0) {
    std::vector<TaskRecord> records;
    std::vector<const TaskRecord*> failures;
    size_t missing = 0;
    for (size_t i = 0; i < plan.tasks.size(); ++i) {
      if (!on_disk[i]) on_disk[i] = read_task_file(task_file_path(dir, plan.tasks[i].id));
      if (on_disk[i])
        records.push_back(*on_disk[i]);
      else
        ++missing;
    }
    for (const auto& record : records)
      if (record.status != "ok") failures.push_back(&record);
    const std::string results = (std::filesystem::path(dir) / "results.h5").string();
    try {
      CriticalWrite critical;
      write_results_file(results, metadata, records);
    } catch (const std::exception& error) {
      err << "riskstep sweep: " << error.what() << "\n";
      status = 1;
    }
    out << "sweep: " << plan.tasks.size() << " tasks: " << records.size() - failures.size()
        << " ok, " << failures.size() << " failed";
    if (missing) out << ", " << missing << " missing";
    out << " (" << counts.done << " run now, " << plan.tasks.size() - pending.size()
        << " already done) -> " << results << "\n";
    for (size_t f = 0; f < failures.size() && f < kFailuresListed; ++f)
      out << "  failed " << failures[f]->task.id << " (" << describe(failures[f]->task)
          << "): " << failures[f]->error << "\n";
    if (failures.size() > kFailuresListed)
      out << "  ... and " << failures.size() - kFailuresListed << " more (see " << results << ")\n";
    if (!failures.empty()) out << "rerun with --retry-failed to run only the failed tasks\n";
    if (!failures.empty() || missing) status = 1;
    out.flush();
  }
  return broadcast_int(status, comm);
}

}  // namespace riskstep
