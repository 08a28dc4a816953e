#include "pipeline/run/sweep.h"
#include "pipeline/store/out_layout.h"

#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>

#include "pipeline/comm/mpi_communicator.h"
#include "pipeline/comm/mpi_wait.h"
#include "pipeline/comm/rank0_decides.h"
#include "pipeline/core/printable.h"
#include "pipeline/layout/out_dir.h"
#include "pipeline/layout/out_dir_lock.h"
#include "pipeline/layout/task_file_scan.h"
#include "pipeline/process/interrupt.h"
#include "pipeline/process/stop_signal.h"
#include "pipeline/run/device_plan.h"
#include "pipeline/run/farm.h"
#include "pipeline/run/progress.h"
#include "pipeline/run/sweep_plan.h"
#include "pipeline/run/work_unit.h"
#include "pipeline/store/output_path.h"
#include "pipeline/store/result_store.h"

namespace riskstep {

namespace {

constexpr size_t kFailuresListed = 20;

// Every HDF5 file open callocs ~1 MB of cache tables. By default glibc hands that back to the
// kernel on close (mmap threshold, heap trimming), so the next open page-faults and zeroes it
// again: that was most of the cost of writing and merging task files (10x under load).
void keep_allocator_caches() {
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

int rank_of(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

// Runs `step` on rank 0 and tells every rank whether it threw; rank 0 prints the message.
bool on_rank0(MPI_Comm comm, std::ostream& err, const std::function<void()>& step) {
  try {
    decide_on_rank0(comm, step);
    return true;
  } catch (const std::exception& error) {
    if (rank_of(comm) == 0) err << "riskstep sweep: " << printable(error.what()) << "\n";
    return false;
  }
}

// What the output directory holds (rank 0 only) and what this run will compute.
struct DiskState {
  std::vector<std::optional<TaskRecord>> on_disk;  // per task: its complete task file
  std::vector<size_t> pending;                     // tasks to run now
};

void print_listing(std::ostream& out, const SweepPlan& plan, const DiskState& disk) {
  size_t done = 0, failed = 0;
  for (size_t i : plan.selected) {
    const char* state = "pending";
    if (disk.on_disk[i]) {
      state = disk.on_disk[i]->status == "ok" ? "done" : "failed";
      (disk.on_disk[i]->status == "ok" ? done : failed) += 1;
    }
    out << plan.tasks[i].id << "  " << state << "  seed=" << plan.tasks[i].seed << "  "
        << describe(plan.tasks[i], plan.settings) << "\n";
  }
  out << plan.selected.size() << " tasks (" << done << " done, " << failed << " failed, "
      << plan.selected.size() - done - failed << " pending) -> "
      << (plan.out_dir.empty() ? "no output directory yet (--out DIR or out = \"...\" to run)"
                               : plan.out_dir)
      << "\n";
}

// Rank 0: the output directory made, locked by this run and checked (nothing for a dry run).
std::unique_ptr<OutDirLock> open_out_dir(const SweepOptions& options, const SweepPlan& plan) {
  if (options.dry_run) return nullptr;
  check_sweep_directory_path(plan.out_dir);
  std::error_code error;
  std::filesystem::create_directories(plan.out_dir, error);
  if (error)
    throw std::runtime_error(plan.out_dir +
                             ": cannot create the output directory: " + error.message());
  const bool alone = options.shard.empty();
  auto lock = std::make_unique<OutDirLock>(
      plan.out_dir, alone ? OutDirLock::Mode::exclusive : OutDirLock::Mode::shared, options.wait);
  prepare_sweep_directory(plan.out_dir, plan.spec, plan.tasks, options.force, alone);
  return lock;
}

// Rank 0: what the task files hold (read by every rank) and so which tasks run now.
DiskState settle_disk_state(const SweepOptions& options, const SweepPlan& plan,
                            ScannedTaskFiles scanned, std::ostream& out, std::ostream& err) {
  DiskState disk;
  disk.on_disk = std::move(scanned.records);
  if (options.dry_run) {
    print_listing(out, plan, disk);
    return disk;
  }
  for (const auto& problem : scanned.problems)
    err << "riskstep sweep: " << printable(problem) << (options.merge_only ? "" : ": runs again")
        << "\n";
  for (size_t i : plan.selected) {
    const bool redo =
        !options.merge_only &&
        (!disk.on_disk[i] || (options.retry_failed && disk.on_disk[i]->status != "ok"));
    if (!redo) continue;
    disk.pending.push_back(i);
    disk.on_disk[i].reset();
  }
  return disk;
}

// Rank 0's list of task indices on every rank.
std::vector<size_t> share_indices(MPI_Comm comm, const std::vector<size_t>& indices) {
  uint64_t count = indices.size();
  broadcast_patiently(&count, 1, MPI_UINT64_T, 0, comm);
  std::vector<uint64_t> list(indices.begin(), indices.end());
  list.resize(count);
  broadcast_patiently(list.data(), static_cast<int>(count), MPI_UINT64_T, 0, comm);
  return std::vector<size_t>(list.begin(), list.end());
}

// Counts kept by every rank for the tasks it ran, summed on rank 0 at the end.
struct LeftOver {
  int64_t stopped = 0;   // stopped before finishing (checkpointed): the next run resumes them
  int64_t unstored = 0;  // finished but their file could not be written: the next run redoes them
};

// A record that cannot be written is not written as failed either: a storage problem (a full
// disk) is the run's, not the task's, so the next plain run computes it again.
bool store_record(const std::string& dir, const RunMetadata& metadata, const TaskRecord& record) {
  CriticalWrite critical;
  try {
    write_task_file(out_layout::task_file(dir, record.task.id), metadata, record);
    return true;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "riskstep sweep: task %s: not stored: %s\n", record.task.id.c_str(),
                 printable(error.what()).c_str());
    return false;
  }
}

TaskContext unit_context(const std::string& dir, const Task& first, const FarmSlot& slot,
                         const DevicePlan& devices, Communicator* group) {
  TaskContext context;
  context.rank_in_group = slot.rank_in_group;
  context.group_size = slot.group_size;
  context.group = group;
  context.device = devices.run_device;
  context.gpu = devices.gpu;
  context.checkpoint_dir = out_layout::checkpoint_dir(dir, first.id);
  context.resume = true;
  context.log = [id = first.id](const std::string& line) {
    std::fprintf(stderr, "task %s: %s\n", id.c_str(), line.c_str());
  };
  return context;
}

struct FarmWork {
  const SweepPlan& plan;
  const SweepOptions& options;
  const RunMetadata& metadata;
  const DevicePlan& devices;
  Job& job;
  std::vector<std::vector<size_t>> units;
  LeftOver left;
};

bool run_unit(FarmWork& work, size_t unit_index, const FarmSlot& slot) {
  const std::vector<size_t>& unit = work.units[unit_index];
  std::vector<Task> tasks;
  for (size_t index : unit) tasks.push_back(work.plan.tasks[index]);
  std::unique_ptr<MpiCommunicator> group;
  if (slot.group_size > 1) group = std::make_unique<MpiCommunicator>(slot.group_comm);
  const TaskContext context =
      unit_context(work.plan.out_dir, tasks.front(), slot, work.devices, group.get());
  const std::vector<TaskRecord> records = run_work_unit(work.job, tasks, context, slot.world_rank);
  if (slot.rank_in_group != 0) return true;  // the group's rank 0 stores and reports
  bool all_ok = true;
  for (const TaskRecord& record : records) {
    if (record.status == "stopped") {
      ++work.left.stopped;
      std::fprintf(stderr, "task %s: %s\n", record.task.id.c_str(), record.error.c_str());
      continue;
    }
    if (!store_record(work.plan.out_dir, work.metadata, record)) ++work.left.unstored;
    all_ok = all_ok && record.status == "ok";
  }
  return all_ok;
}

// Longest first: with dynamic scheduling the last units decide when the last rank finishes.
std::vector<size_t> costliest_first(const FarmWork& work) {
  std::vector<double> cost(work.units.size(), 0.0);
  for (size_t u = 0; u < work.units.size(); ++u)
    for (size_t index : work.units[u]) cost[u] += work.job.relative_cost(work.plan.tasks[index]);
  std::vector<size_t> order(work.units.size());
  for (size_t u = 0; u < order.size(); ++u) order[u] = u;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return cost[a] > cost[b]; });
  return order;
}

// What the progress line says a unit runs: the job's label of its first task ("" = the kind), and
// how many tasks it batches (e.g. "a b x5": the label of a unit batching 5 tasks).
std::vector<std::string> unit_labels(const FarmWork& work) {
  std::vector<std::string> labels;
  for (const auto& unit : work.units) {
    const Task& first = work.plan.tasks[unit.front()];
    std::string label = work.job.progress_label(first);
    if (label.empty()) label = first.kind;
    if (unit.size() > 1) label += " x" + std::to_string(unit.size());
    labels.push_back(label);
  }
  return labels;
}

FarmCounts run_units(MPI_Comm comm, FarmWork& work) {
  std::vector<int> ranks_needed;
  for (const auto& unit : work.units) ranks_needed.push_back(work.plan.tasks[unit.front()].ranks);
  std::optional<ProgressLine> progress;
  FarmOptions farm_options;
  farm_options.coordinator_works = work.options.coordinator_works;
  size_t tasks = 0;
  for (const auto& unit : work.units)
    farm_options.weights.push_back(unit.size()), tasks += unit.size();
  if (rank_of(comm) == 0 && work.options.progress != "never") {
    progress.emplace(stderr, tasks, work.options.progress == "always");
    farm_options.on_progress = [&](size_t done, size_t failed) { progress->update(done, failed); };
    farm_options.on_running = [&progress,
                               labels = unit_labels(work)](const std::map<int, size_t>& running) {
      std::string what;
      for (const auto& [rank, unit] : running) what += (what.empty() ? "" : ", ") + labels[unit];
      progress->running(what);
    };
  }
  const FarmCounts counts = run_farm(
      comm, ranks_needed, costliest_first(work),
      [&](size_t unit, const FarmSlot& slot) { return run_unit(work, unit, slot); }, farm_options);
  if (progress) progress->finish(counts.done, counts.failed);
  return counts;
}

LeftOver sum_left_over(MPI_Comm comm, const LeftOver& mine) {
  int64_t counts[2] = {mine.stopped, mine.unstored};
  MPI_Request request;
  MPI_Iallreduce(MPI_IN_PLACE, counts, 2, MPI_INT64_T, MPI_SUM, comm, &request);
  wait_patiently(request);
  return LeftOver{counts[0], counts[1]};
}

// Rank 0: every selected task's record from disk, the results file, the report; the status.
struct Tally {
  std::vector<TaskRecord> records;
  std::vector<const TaskRecord*> failures;
  std::vector<size_t> missing;
  size_t run_now = 0;
};

// Every rank: the task files rank 0 has not read (those run now, and any still missing) read
// together; on rank 0 into disk.on_disk.
void read_new_task_files(MPI_Comm comm, const SweepPlan& plan, DiskState& disk) {
  std::vector<size_t> unread;
  if (rank_of(comm) == 0)
    for (size_t i : plan.selected)
      if (!disk.on_disk[i]) unread.push_back(i);
  unread = share_indices(comm, unread);
  ScannedTaskFiles scanned = scan_task_files_together(comm, plan.out_dir, plan.tasks, unread);
  if (rank_of(comm) != 0) return;
  for (size_t k = 0; k < unread.size(); ++k)
    disk.on_disk[unread[k]] = std::move(scanned.records[k]);
}

// Rank 0. The records are copied, not moved: results.h5 is written faster from fresh, compact
// copies than from records allocated among HDF5's own while reading (100,000 tasks: 100 s
// instead of 120 s, for 10% more memory).
Tally tally(const SweepPlan& plan, DiskState& disk) {
  Tally tally;
  for (size_t i : disk.pending)
    if (disk.on_disk[i]) ++tally.run_now;
  for (size_t i : plan.selected) {
    if (disk.on_disk[i])
      tally.records.push_back(*disk.on_disk[i]);
    else
      tally.missing.push_back(i);
  }
  for (const auto& record : tally.records)
    if (record.status != "ok") tally.failures.push_back(&record);
  return tally;
}

void report_failures(std::ostream& out, const SweepPlan& plan, const Tally& tally,
                     bool merge_only) {
  for (size_t f = 0; f < tally.failures.size() && f < kFailuresListed; ++f)
    out << "  failed " << tally.failures[f]->task.id << " ("
        << describe(tally.failures[f]->task, plan.settings) << "): " << tally.failures[f]->error
        << "\n";
  if (tally.failures.size() > kFailuresListed)
    out << "  ... and " << tally.failures.size() - kFailuresListed << " more\n";
  if (!tally.failures.empty()) out << "rerun with --retry-failed to run only the failed tasks\n";
  if (!merge_only) return;
  for (size_t m = 0; m < tally.missing.size() && m < kFailuresListed; ++m)
    out << "  missing " << plan.tasks[tally.missing[m]].id << " ("
        << describe(plan.tasks[tally.missing[m]], plan.settings) << ")\n";
}

int finish_on_rank0(const SweepPlan& plan, DiskState& disk, const SweepOptions& options,
                    const RunMetadata& metadata, const FarmCounts& counts, const LeftOver& left,
                    std::ostream& out, std::ostream& err) {
  const Tally tally_now = tally(plan, disk);
  int status = 0;
  std::string written = out_layout::results_file(plan.out_dir);
  if (!options.shard.empty()) {
    written = out_layout::tasks_dir(plan.out_dir) + " (merge the shards with --merge-only)";
  } else {
    try {
      CriticalWrite critical;
      write_results_file(written, metadata, tally_now.records);
    } catch (const std::exception& error) {
      err << "riskstep sweep: " << printable(error.what()) << "\n";
      written += " NOT written (see above; the task files are kept: run again to merge)";
      status = 1;
    }
  }
  out << "sweep: " << (options.shard.empty() ? std::string() : "shard " + options.shard + ": ")
      << plan.selected.size() << " tasks: " << tally_now.records.size() - tally_now.failures.size()
      << " ok, " << tally_now.failures.size() << " failed";
  if (!tally_now.missing.empty()) out << ", " << tally_now.missing.size() << " missing";
  out << " (" << tally_now.run_now << " run now, " << plan.selected.size() - disk.pending.size()
      << " already done) -> " << written << "\n";
  report_failures(out, plan, tally_now, options.merge_only);
  const bool left_for_later = left.stopped > 0 || counts.stopped;
  if (!tally_now.failures.empty() || left.unstored > 0 ||
      (!tally_now.missing.empty() && (options.merge_only || !left_for_later)))
    status = 1;
  if (left.unstored > 0)
    out << left.unstored << " finished task(s) could not be stored (see the messages above): "
        << "fix that and run the same command again\n";
  if (left.stopped > 0)
    out << left.stopped << " task(s) stopped before finishing (their checkpoints are kept): "
        << "run the same command again to continue\n";
  if (counts.stopped && !tally_now.missing.empty())
    out << "stopped on request (SIGUSR1): " << tally_now.missing.size()
        << " tasks not run; run the same command again to continue\n";
  if (status == 0 && !tally_now.missing.empty()) status = kStoppedEarlyStatus;
  out.flush();
  return status;
}

}  // namespace

int run_sweep(MPI_Comm comm, const SweepOptions& options, const JobRegistry& registry,
              std::ostream& out, std::ostream& err) {
  keep_allocator_caches();
  int size = 1;
  MPI_Comm_size(comm, &size);
  SweepPlan plan;
  if (!on_rank0(comm, err, [&] { plan = make_sweep_plan(options, registry, size); })) return 2;
  share_sweep_plan(comm, options, registry, plan);
  std::unique_ptr<OutDirLock> lock;  // rank 0 holds DIR for the whole run
  if (!on_rank0(comm, err, [&] { lock = open_out_dir(options, plan); })) return 2;
  std::vector<size_t> every_task(plan.tasks.size());
  std::iota(every_task.begin(), every_task.end(), size_t{0});
  ScannedTaskFiles scanned;
  if (plan.out_dir.empty())  // a dry run without an output directory: nothing is done yet
    scanned.records.resize(plan.tasks.size());
  else
    scanned = scan_task_files_together(comm, plan.out_dir, plan.tasks, every_task);
  DiskState disk;
  if (!on_rank0(comm, err,
                [&] { disk = settle_disk_state(options, plan, std::move(scanned), out, err); }))
    return 2;
  if (options.dry_run) return 0;

  RunMetadata metadata = collect_run_metadata(plan.spec.text, size);
  for (const auto& line : options.overrides)
    metadata.spec_overrides += (metadata.spec_overrides.empty() ? "" : "\n") + line;
  std::unique_ptr<Job> job = registry.make(plan.spec.kind);
  DevicePlan devices;  // bound before any task runs: a job's first CUDA allocation lands there
  std::string device_error;
  try {
    devices = bind_devices(comm, options.device, *job, plan.tasks, options.cuda);
  } catch (const std::exception& error) {
    device_error = error.what();
  }
  if (!device_error.empty()) {  // every rank failed alike; rank 0 says why
    if (rank_of(comm) == 0) err << "riskstep sweep: " << printable(device_error) << "\n";
    return 2;
  }
  StopRequestGuard stop_guard;  // SIGUSR1 (time limit near) must not kill a rank
  InterruptGuard interrupt_guard(rank_of(comm) == 0
                                     ? "riskstep sweep: interrupted; finished tasks are kept in " +
                                           out_layout::tasks_dir(plan.out_dir) +
                                           ": run the same command to continue"
                                     : "");

  FarmWork work{plan, options, metadata, devices, *job, {}, {}};
  work.units = group_work_units(*job, plan.tasks, share_indices(comm, disk.pending));
  const FarmCounts counts = run_units(comm, work);
  const LeftOver left = sum_left_over(comm, work.left);
  read_new_task_files(comm, plan, disk);
  int status = 0;
  if (rank_of(comm) == 0)
    status = finish_on_rank0(plan, disk, options, metadata, counts, left, out, err);
  broadcast_patiently(&status, 1, MPI_INT, 0, comm);
  return status;
}

}  // namespace riskstep
