#include "pipeline/run/farm.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "pipeline/comm/mpi_wait.h"
#include "pipeline/process/stop_signal.h"

namespace riskstep {

namespace {

constexpr int kTagReport = 4101;  // worker -> rank 0: {finished index or -1, ok}
constexpr int kTagAssign = 4102;  // rank 0 -> worker: next index or -1 = stop
// Static groups (run_static_groups) report {index, weight done, weight failed} on kTagReport and
// end with {-1, stopped, 0}.
constexpr int64_t kStop = -1;
constexpr std::chrono::microseconds kLongestIdlePause{2000};

// Shared by rank 0's main thread (coordinator) and its helper thread (local worker).
// What a finished task index adds to done and failed (FarmOptions::weights).
size_t weight_of(const std::vector<size_t>& weights, size_t index) {
  return weights.empty() ? 1 : weights[index];
}

struct Ledger {
  std::mutex mutex;
  std::deque<size_t> queue;
  FarmCounts counts;
  const std::vector<size_t>* weights = nullptr;
  std::map<int, size_t> running;  // rank -> the task it runs

  int64_t next(int rank) {
    std::lock_guard<std::mutex> lock(mutex);
    running.erase(rank);
    if (queue.empty()) return kStop;
    const size_t index = queue.front();
    queue.pop_front();
    running[rank] = index;
    return static_cast<int64_t>(index);
  }
  void finished(size_t index, bool ok) {
    std::lock_guard<std::mutex> lock(mutex);
    const size_t weight = weights ? weight_of(*weights, index) : 1;
    counts.done += weight;
    if (!ok) counts.failed += weight;
  }
  // A stop request: what has not started stays undone. Returns true if tasks were dropped.
  bool drop_queue() {
    std::lock_guard<std::mutex> lock(mutex);
    const bool dropped = !queue.empty();
    queue.clear();
    if (dropped) counts.stopped = true;
    return dropped;
  }
  FarmCounts snapshot() {
    std::lock_guard<std::mutex> lock(mutex);
    return counts;
  }
};

void report_progress(const FarmOptions& options, Ledger& ledger) {
  if (options.on_running) {
    std::map<int, size_t> running;
    {
      std::lock_guard<std::mutex> lock(ledger.mutex);
      running = ledger.running;
    }
    options.on_running(running);
  }
  if (!options.on_progress) return;
  const FarmCounts counts = ledger.snapshot();
  options.on_progress(counts.done, counts.failed);
}

// Answers requests until `workers` ranks have been told to stop. Sleeps in growing steps while
// idle so a coordinator sharing a core with its own worker thread costs little CPU. The cap
// matters: at 250 us the wake-ups (each an Open MPI progress poll and a context switch on the
// worker thread's core) made rank 0's tasks 13% slower than rank 1's on the herrig2023 sweep;
// at 2 ms a request waits at most that long, and requests that come often keep the pause short.
void coordinate(MPI_Comm comm, int workers, Ledger& ledger, const FarmOptions& options,
                const std::function<bool()>& local_running) {
  auto pause = std::chrono::microseconds(10);
  while (workers > 0 || local_running()) {
    if (stop_requested()) ledger.drop_queue();
    int arrived = 0;
    MPI_Status status;
    if (workers > 0) MPI_Iprobe(MPI_ANY_SOURCE, kTagReport, comm, &arrived, &status);
    if (arrived) {
      int64_t report[2];
      MPI_Recv(report, 2, MPI_INT64_T, status.MPI_SOURCE, kTagReport, comm, MPI_STATUS_IGNORE);
      if (report[0] >= 0) ledger.finished(static_cast<size_t>(report[0]), report[1] != 0);
      const int64_t next = ledger.next(status.MPI_SOURCE);
      MPI_Send(&next, 1, MPI_INT64_T, status.MPI_SOURCE, kTagAssign, comm);
      if (next == kStop) --workers;
      report_progress(options, ledger);
      pause = std::chrono::microseconds(10);
      continue;
    }
    report_progress(options, ledger);
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, kLongestIdlePause);
  }
}

// A worker (or a group leader): ask, run, report, until told to stop. Group members other than
// the leader learn each index through a broadcast on the group communicator.
void work(MPI_Comm comm, const FarmSlot& slot, const TaskRunner& runner) {
  const bool leader = slot.rank_in_group == 0;
  int64_t report[2] = {-1, 0};
  while (true) {
    int64_t index = kStop;
    if (leader) {
      MPI_Send(report, 2, MPI_INT64_T, 0, kTagReport, comm);
      MPI_Recv(&index, 1, MPI_INT64_T, 0, kTagAssign, comm, MPI_STATUS_IGNORE);
    }
    if (slot.group_size > 1) MPI_Bcast(&index, 1, MPI_INT64_T, 0, slot.group_comm);
    if (index == kStop) return;
    const bool ok = runner(static_cast<size_t>(index), slot);
    report[0] = index;
    report[1] = ok ? 1 : 0;
  }
}

FarmCounts run_single_rank_phase(MPI_Comm comm, const std::vector<size_t>& tasks,
                                 const TaskRunner& runner, const FarmOptions& options) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  FarmSlot slot;
  slot.world_rank = rank;
  if (rank != 0) {
    work(comm, slot, runner);
    return {};
  }
  Ledger ledger;
  ledger.weights = &options.weights;
  ledger.queue.assign(tasks.begin(), tasks.end());
  const bool local = options.coordinator_works || size == 1;
  if (size == 1) {  // nobody to coordinate: run inline
    for (int64_t index = ledger.next(0); index != kStop; index = ledger.next(0)) {
      ledger.finished(static_cast<size_t>(index), runner(static_cast<size_t>(index), slot));
      report_progress(options, ledger);
      if (stop_requested()) ledger.drop_queue();
    }
    return ledger.snapshot();
  }
  std::atomic<bool> local_running{local};
  std::thread helper;
  if (local) {
    helper = std::thread([&] {
      for (int64_t index = ledger.next(0); index != kStop; index = ledger.next(0))
        ledger.finished(static_cast<size_t>(index), runner(static_cast<size_t>(index), slot));
      local_running = false;
    });
  }
  coordinate(comm, size - 1, ledger, options, [&] { return local_running.load(); });
  if (helper.joinable()) helper.join();
  return ledger.snapshot();
}

// When the ranks divide into groups, every group runs tasks (4 GPUs, 2 per task: both pairs
// train) and nobody coordinates: group g runs tasks g, g + groups, ... of the phase in order. Group
// leaders other than rank 0's tell rank 0 what finished (small eager sends rank 0 drains between
// its own tasks, for progress) and end with a kStop report, so rank 0's counts are exact.
FarmCounts run_static_groups(MPI_Comm comm, const FarmSlot& slot, int groups,
                             const std::vector<size_t>& tasks, const TaskRunner& runner,
                             const FarmOptions& options) {
  const int group = slot.world_rank / slot.group_size;
  const bool leader = slot.rank_in_group == 0;
  FarmCounts counts;
  int finals = 0;
  auto drain = [&](bool wait) {  // rank 0: reports of the other groups
    while (finals < groups - 1) {
      int arrived = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kTagReport, comm, &arrived, &status);
      if (!arrived && !wait) return;
      if (!arrived) {
        std::this_thread::sleep_for(kLongestIdlePause);
        continue;
      }
      int64_t report[3];
      MPI_Recv(report, 3, MPI_INT64_T, status.MPI_SOURCE, kTagReport, comm, MPI_STATUS_IGNORE);
      if (report[0] == kStop) {
        ++finals;
        counts.stopped = counts.stopped || report[1] != 0;
        continue;
      }
      counts.done += size_t(report[1]);
      counts.failed += size_t(report[2]);
    }
  };
  bool stopped = false;
  for (size_t position = size_t(group); position < tasks.size(); position += size_t(groups)) {
    // The group's rank 0 decides, so all members stop before the same task.
    int stop = stop_requested() ? 1 : 0;
    MPI_Bcast(&stop, 1, MPI_INT, 0, slot.group_comm);
    if (stop) {
      stopped = true;
      break;
    }
    if (slot.world_rank == 0 && options.on_running) options.on_running({{0, tasks[position]}});
    const bool ok = runner(tasks[position], slot);
    const size_t weight = weight_of(options.weights, tasks[position]);
    if (slot.world_rank == 0) {
      counts.done += weight;
      if (!ok) counts.failed += weight;
      drain(false);
      if (options.on_progress) options.on_progress(counts.done, counts.failed);
    } else if (leader) {
      const int64_t report[3] = {int64_t(tasks[position]), int64_t(weight),
                                 ok ? 0 : int64_t(weight)};
      MPI_Send(report, 3, MPI_INT64_T, 0, kTagReport, comm);
    }
  }
  if (slot.world_rank == 0) {
    drain(true);
    counts.stopped = counts.stopped || stopped;
    if (options.on_progress) options.on_progress(counts.done, counts.failed);
  } else if (leader) {
    const int64_t report[3] = {kStop, stopped ? 1 : 0, 0};
    MPI_Send(report, 3, MPI_INT64_T, 0, kTagReport, comm);
  }
  return counts;
}

FarmCounts run_group_phase(MPI_Comm comm, int group_size, const std::vector<size_t>& tasks,
                           const TaskRunner& runner, const FarmOptions& options) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  // Groups are consecutive ranks, so with mpirun's default mapping (by slot) a group of a node's
  // size is that node's ranks. Ranks that do not divide into groups: rank 0 coordinates the
  // groups beside it, dynamically (run_farm checked group_size <= size, so one fits).
  const bool coordinated = size % group_size != 0;
  const int groups = coordinated ? (size - 1) / group_size : size / group_size;
  const int first = coordinated ? 1 : 0;
  const int member = rank - first;
  const int color =
      (member >= 0 && member < groups * group_size) ? member / group_size : MPI_UNDEFINED;
  MPI_Comm group = MPI_COMM_NULL;
  MPI_Comm_split(comm, color, rank, &group);

  FarmCounts counts;
  FarmSlot slot;
  slot.world_rank = rank;
  slot.group_size = group_size;
  slot.group_comm = group;
  if (group != MPI_COMM_NULL) MPI_Comm_rank(group, &slot.rank_in_group);

  if (!coordinated) {
    counts = run_static_groups(comm, slot, groups, tasks, runner, options);
  } else if (rank == 0) {
    Ledger ledger;
    ledger.weights = &options.weights;
    ledger.queue.assign(tasks.begin(), tasks.end());
    coordinate(comm, groups, ledger, options, [] { return false; });
    counts = ledger.snapshot();
  } else if (group != MPI_COMM_NULL) {
    work(comm, slot, runner);
  }
  if (group != MPI_COMM_NULL) MPI_Comm_free(&group);
  return counts;
}

}  // namespace

FarmCounts run_farm(MPI_Comm comm, const std::vector<int>& ranks_needed,
                    const std::vector<size_t>& pending, const TaskRunner& runner,
                    const FarmOptions& options) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);

  // Rank 0 decides what runs (it read the task files); everyone follows its list.
  uint64_t count = rank == 0 ? pending.size() : 0;
  broadcast_patiently(&count, 1, MPI_UINT64_T, 0, comm);
  std::vector<uint64_t> order(count);
  if (rank == 0) std::copy(pending.begin(), pending.end(), order.begin());
  broadcast_patiently(order.data(), static_cast<int>(count), MPI_UINT64_T, 0, comm);

  std::set<int, std::greater<int>> group_sizes;
  for (uint64_t index : order) {
    if (index >= ranks_needed.size())
      throw std::invalid_argument("task index " + std::to_string(index) + " out of range");
    const int needed = ranks_needed[index];
    if (needed > size)
      throw std::invalid_argument("a task needs " + std::to_string(needed) +
                                  " ranks but the sweep runs on " + std::to_string(size) +
                                  " (start it with mpirun -np " + std::to_string(needed) +
                                  " or more)");
    group_sizes.insert(std::max(needed, 1));
  }

  FarmCounts total;
  for (int group_size : group_sizes) {
    int stop = rank == 0 && (total.stopped || stop_requested()) ? 1 : 0;
    broadcast_patiently(&stop, 1, MPI_INT, 0, comm);
    if (stop) {
      total.stopped = rank == 0;
      break;
    }
    std::vector<size_t> phase;
    for (uint64_t index : order)
      if (std::max(ranks_needed[index], 1) == group_size) phase.push_back(index);
    FarmOptions phase_options = options;
    if (options.on_progress) {
      phase_options.on_progress = [&, before = total](size_t done, size_t failed) {
        options.on_progress(before.done + done, before.failed + failed);
      };
    }
    const FarmCounts counts = group_size == 1
                                  ? run_single_rank_phase(comm, phase, runner, phase_options)
                                  : run_group_phase(comm, group_size, phase, runner, phase_options);
    total.done += counts.done;
    total.failed += counts.failed;
    total.stopped = total.stopped || counts.stopped;
    barrier_patiently(comm);  // a phase's groups are gone before the next phase's split
  }
  return total;
}

}  // namespace riskstep
