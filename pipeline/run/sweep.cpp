#include "pipeline/run/sweep.h"
#include "pipeline/store/out_layout.h"

#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>

#include "pipeline/comm/mpi_communicator.h"
#include "pipeline/comm/mpi_wait.h"
#include "pipeline/comm/rank0_decides.h"
#include "pipeline/core/printable.h"
#include "pipeline/layout/out_dir.h"
#include "pipeline/layout/out_dir_lock.h"
#include "pipeline/layout/record_scan.h"
#include "pipeline/process/interrupt.h"
#include "pipeline/process/stop_signal.h"
#include "pipeline/run/device_plan.h"
#include "pipeline/run/farm.h"
#include "pipeline/run/merge.h"
#include "pipeline/run/progress.h"
#include "pipeline/run/sweep_plan.h"
#include "pipeline/run/work_unit.h"
#include "pipeline/store/output_path.h"
#include "pipeline/store/record_log.h"

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

// Rank 0: what this run will compute, from what the logs hold.
std::vector<size_t> pending_tasks(const SweepOptions& options, const SweepPlan& plan,
                                  const ScannedLogs& scanned) {
  std::vector<size_t> pending;
  if (options.merge_only) return pending;
  for (size_t i : plan.selected) {
    const RecordLocation& at = scanned.of_task[i];
    if (!at.found() || (options.retry_failed && !at.ok)) pending.push_back(i);
  }
  return pending;
}

void print_listing(std::ostream& out, const SweepPlan& plan, const ScannedLogs& scanned) {
  size_t done = 0, failed = 0;
  for (size_t i : plan.selected) {
    const RecordLocation* at = scanned.of_task.empty() ? nullptr : &scanned.of_task[i];
    const char* state = "pending";
    if (at && at->found()) {
      state = at->ok ? "done" : "failed";
      (at->ok ? done : failed) += 1;
    }
    out << plan.tasks.id(i) << "  " << state << "  seed=" << plan.tasks.seed(i) << "  "
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

// This rank's log. A record that cannot be written is not written as failed either: a storage
// problem (a full disk) is the run's, not the task's, so the next plain run computes it again.
class RecordStore {
 public:
  RecordStore(const std::string& path, const RunMetadata& metadata) : log_(path, metadata) {}

  // How many of `records` (stopped ones aside) could not be stored.
  int64_t store(const std::vector<TaskRecord>& records) {
    std::lock_guard<std::mutex> lock(mutex_);  // rank 0's helper thread and main thread
    CriticalWrite critical;
    try {
      log_.append(records);
      return 0;
    } catch (const std::exception& error) {
      int64_t lost = 0;
      for (const TaskRecord& record : records) {
        if (record.status == "stopped") continue;
        ++lost;
        std::fprintf(stderr, "riskstep sweep: task %s: not stored: %s\n", record.task.id.c_str(),
                     printable(error.what()).c_str());
      }
      return lost;
    }
  }
  // The log's file name when it holds anything.
  std::vector<std::string> written() const {
    return log_.created() ? std::vector<std::string>{log_.path()} : std::vector<std::string>{};
  }

 private:
  std::mutex mutex_;
  RecordLogWriter log_;
};

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
  RecordStore& store;
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
    all_ok = all_ok && record.status == "ok";
  }
  work.left.unstored += work.store.store(records);  // one fdatasync for the unit
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

// Rank 0: what the logs hold for the selected tasks at the end.
struct Tally {
  size_t ok = 0;
  std::vector<size_t> failures;
  std::vector<size_t> missing;
  size_t run_now = 0;
};

Tally tally(const SweepPlan& plan, const std::vector<size_t>& pending, const ScannedLogs& scanned) {
  Tally tally;
  for (size_t i : pending)
    if (scanned.of_task[i].found()) ++tally.run_now;
  for (size_t i : plan.selected) {
    const RecordLocation& at = scanned.of_task[i];
    if (!at.found())
      tally.missing.push_back(i);
    else if (at.ok)
      ++tally.ok;
    else
      tally.failures.push_back(i);
  }
  return tally;
}

// A failed task's message, read from its log by rank 0.
std::string failure_of(const SweepPlan& plan, const ScannedLogs& scanned, size_t task) {
  const RecordLocation& at = scanned.of_task[task];
  const std::string path =
      (std::filesystem::path(out_layout::logs_dir(plan.out_dir)) / scanned.logs[at.log]).string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "(its record cannot be read now)";
  LogEntry entry;
  entry.offset = at.offset;
  entry.size = at.size;
  entry.id = plan.tasks.id(task);
  std::string error;
  try {
    error = read_logged_record(fd, path, entry).error;
  } catch (const std::exception& failure) {
    error = "(its record cannot be read now: " + printable(failure.what()) + ")";
  }
  ::close(fd);
  return error;
}

void report_failures(std::ostream& out, const SweepPlan& plan, const ScannedLogs& scanned,
                     const Tally& tally, bool merge_only) {
  for (size_t f = 0; f < tally.failures.size() && f < kFailuresListed; ++f) {
    const size_t task = tally.failures[f];
    out << "  failed " << plan.tasks.id(task) << " (" << describe(plan.tasks[task], plan.settings)
        << "): " << failure_of(plan, scanned, task) << "\n";
  }
  if (tally.failures.size() > kFailuresListed)
    out << "  ... and " << tally.failures.size() - kFailuresListed << " more\n";
  if (!tally.failures.empty()) out << "rerun with --retry-failed to run only the failed tasks\n";
  if (!merge_only) return;
  for (size_t m = 0; m < tally.missing.size() && m < kFailuresListed; ++m)
    out << "  missing " << plan.tasks.id(tally.missing[m]) << " ("
        << describe(plan.tasks[tally.missing[m]], plan.settings) << ")\n";
}

// Every rank: the part files of this run's logs (a shard) or of all logs, then (not a shard)
// results.h5. Returns, on rank 0, where the results are (or why they are not).
struct Merged {
  std::string written;  // what the summary line names
  bool failed = false;
};

Merged merge(MPI_Comm comm, const SweepPlan& plan, const SweepOptions& options,
             const ScannedLogs& scanned, const std::vector<std::string>& written_here,
             const RunMetadata& metadata, std::ostream& err) {
  Merged merged;
  const bool shard = !options.shard.empty();
  std::vector<std::string> own_names;
  for (const auto& path : written_here)
    own_names.push_back(std::filesystem::path(path).filename().string());
  const PartsMade parts =
      shard && own_names.empty()
          ? PartsMade{}
          : make_parts(comm, plan.out_dir, scanned, shard ? own_names : std::vector<std::string>{});
  std::vector<std::string> errors = parts.errors;
  bool written = false;
  if (!shard && parts.ok)
    written = write_merged_results(comm, plan.out_dir, plan.tasks, plan.selected, scanned, parts,
                                   metadata, errors);
  if (rank_of(comm) != 0) return merged;
  for (const auto& error : errors) err << "riskstep sweep: " << printable(error) << "\n";
  if (shard) {
    merged.written = out_layout::logs_dir(plan.out_dir) + " (merge the shards with --merge-only)";
    merged.failed = !parts.ok;
    return merged;
  }
  merged.written = out_layout::results_file(plan.out_dir);
  if (!written) {
    merged.written += " NOT written (see above; the records are kept in " +
                      out_layout::logs_dir(plan.out_dir) + ": run again to merge)";
    merged.failed = true;
  }
  return merged;
}

int finish_on_rank0(const SweepPlan& plan, const std::vector<size_t>& pending,
                    const ScannedLogs& scanned, const SweepOptions& options, const Merged& merged,
                    const FarmCounts& counts, const LeftOver& left, std::ostream& out) {
  const Tally tally_now = tally(plan, pending, scanned);
  int status = merged.failed ? 1 : 0;
  out << "sweep: " << (options.shard.empty() ? std::string() : "shard " + options.shard + ": ")
      << plan.selected.size() << " tasks: " << tally_now.ok << " ok, " << tally_now.failures.size()
      << " failed";
  if (!tally_now.missing.empty()) out << ", " << tally_now.missing.size() << " missing";
  // Already done: stored before this run (a --merge-only of shards does not count the missing).
  const size_t stored = tally_now.ok + tally_now.failures.size();
  out << " (" << tally_now.run_now << " run now, " << stored - tally_now.run_now
      << " already done) -> " << merged.written << "\n";
  report_failures(out, plan, scanned, tally_now, options.merge_only);
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

void print_problems(std::ostream& err, const ScannedLogs& scanned, bool merge_only) {
  for (const auto& problem : scanned.problems)
    err << "riskstep sweep: " << printable(problem)
        << (merge_only ? "" : " (tasks not stored elsewhere run again)") << "\n";
}

bool any_task_needs_cuda(const Job& job, const TaskList& tasks) {
  for (size_t i = 0; i < tasks.size(); ++i)
    if (job.device(tasks[i]) == "cuda") return true;
  return false;
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
  if (plan.out_dir.empty()) {  // a dry run without an output directory: nothing is done yet
    if (rank_of(comm) == 0) print_listing(out, plan, ScannedLogs{});
    return 0;
  }
  std::vector<size_t> pending;
  auto scanned = std::make_unique<ScannedLogs>(scan_logs_together(comm, plan.out_dir, plan.tasks));
  if (rank_of(comm) == 0) {
    if (options.dry_run) {
      print_listing(out, plan, *scanned);
    } else {
      print_problems(err, *scanned, options.merge_only);
      pending = pending_tasks(options, plan, *scanned);
    }
  }
  if (options.dry_run) return 0;
  pending = share_indices(comm, pending);
  if (!pending.empty()) scanned.reset();  // read again after the work, with what it added

  RunMetadata metadata = collect_run_metadata(plan.spec.text, size);
  for (const auto& line : options.overrides)
    metadata.spec_overrides += (metadata.spec_overrides.empty() ? "" : "\n") + line;
  std::unique_ptr<Job> job = registry.make(plan.spec.kind);
  DevicePlan devices;  // bound before any task runs: a job's first CUDA allocation lands there
  std::string device_error;
  try {
    devices = bind_devices(comm, options.device,
                           options.merge_only ? false : any_task_needs_cuda(*job, plan.tasks),
                           options.cuda);
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
                                           out_layout::logs_dir(plan.out_dir) +
                                           ": run the same command to continue"
                                     : "");

  std::string run_id = rank_of(comm) == 0 ? out_layout::new_run_id() : "";
  broadcast_text_patiently(run_id, 0, comm);
  RecordStore store(out_layout::log_file(plan.out_dir, run_id, rank_of(comm)), metadata);
  FarmWork work{plan, options, store, devices, *job, {}, {}};
  work.units = group_work_units(
      *job, [&](size_t index) { return plan.tasks[index]; }, pending);
  const FarmCounts counts = run_units(comm, work);
  const LeftOver left = sum_left_over(comm, work.left);
  work.units.clear();
  work.units.shrink_to_fit();

  if (!scanned)
    scanned = std::make_unique<ScannedLogs>(
        scan_logs_together(comm, plan.out_dir, plan.tasks, store.written()));
  const Merged merged = merge(comm, plan, options, *scanned, store.written(), metadata, err);
  int status = 0;
  if (rank_of(comm) == 0)
    status = finish_on_rank0(plan, pending, *scanned, options, merged, counts, left, out);
  broadcast_patiently(&status, 1, MPI_INT, 0, comm);
  return status;
}

}  // namespace riskstep
