#include "pipeline/layout/record_scan.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <set>

#include "pipeline/comm/mpi_wait.h"
#include "pipeline/store/out_layout.h"

namespace riskstep {

namespace fs = std::filesystem;

namespace {

constexpr int kTag = 7302;
constexpr size_t kProblemsPerLog = 20;

// One valid record of a plan's task, as a rank reports it to rank 0.
struct Found {
  uint32_t task;
  uint32_t log;
  uint32_t entry;
  uint32_t ok;
  uint64_t offset;
  uint64_t size;
};

// Rank 0: the logs (sorted by name: oldest first) and their sizes.
std::vector<std::pair<std::string, uint64_t>> list_logs(const std::string& dir) {
  std::vector<std::pair<std::string, uint64_t>> logs;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(out_layout::logs_dir(dir), error)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > 4 && name.compare(name.size() - 4, 4, ".log") == 0)
      logs.emplace_back(name, entry.file_size(error));
  }
  std::sort(logs.begin(), logs.end());
  return logs;
}

// Rank 0: who reads which log. A log's writer reads it; the rest go to the least loaded rank,
// largest first.
std::vector<int> assign_readers(const std::vector<std::pair<std::string, uint64_t>>& logs,
                                const std::vector<std::set<std::string>>& written, int size) {
  std::vector<int> reader(logs.size(), -1);
  std::vector<uint64_t> load(static_cast<size_t>(size), 0);
  for (size_t l = 0; l < logs.size(); ++l)
    for (int r = 0; r < size; ++r)
      if (written[static_cast<size_t>(r)].count(logs[l].first)) {
        reader[l] = r;
        load[static_cast<size_t>(r)] += logs[l].second;
      }
  std::vector<size_t> order(logs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return logs[a].second > logs[b].second; });
  for (size_t l : order) {
    if (reader[l] >= 0) continue;
    const auto least = std::min_element(load.begin(), load.end());
    reader[l] = static_cast<int>(least - load.begin());
    *least += logs[l].second;
  }
  return reader;
}

// Each rank: its logs scanned, what it found of the plan's tasks, and the problems.
struct Share {
  std::vector<Found> found;
  std::vector<std::string> problems;
};

Share scan_share(const std::string& dir, const TaskList& tasks, ScannedLogs& scanned, int rank) {
  Share share;
  for (uint32_t l = 0; l < scanned.logs.size(); ++l) {
    if (scanned.reader[l] != rank) continue;
    const std::string shown = "logs/" + scanned.logs[l];
    std::vector<std::string> problems;
    try {
      scanned.mine[l] =
          scan_record_log((fs::path(out_layout::logs_dir(dir)) / scanned.logs[l]).string());
    } catch (const std::exception& error) {  // unreadable: its tasks run again
      share.problems.push_back(shown + ": " + error.what());
      continue;
    }
    const LogScan& scan = scanned.mine[l];
    for (const auto& problem : scan.problems) problems.push_back(shown + ": " + problem);
    for (uint32_t e = 0; e < scan.entries.size(); ++e) {
      const LogEntry& entry = scan.entries[e];
      const auto task = tasks.find(entry.id);
      if (!task) continue;
      if (tasks.seed(*task) != entry.seed || tasks.kind(*task) != entry.kind) {
        problems.push_back(shown + ": task " + entry.id +
                           ": another seed or kind than this sweep's");
        continue;
      }
      share.found.push_back(
          Found{static_cast<uint32_t>(*task), l, e, entry.ok ? 1u : 0u, entry.offset, entry.size});
    }
    if (problems.size() > kProblemsPerLog) {
      const size_t more = problems.size() - kProblemsPerLog;
      problems.resize(kProblemsPerLog);
      problems.push_back(shown + ": ... and " + std::to_string(more) + " more");
    }
    share.problems.insert(share.problems.end(), problems.begin(), problems.end());
  }
  return share;
}

std::string found_bytes(const std::vector<Found>& found) {
  return std::string(reinterpret_cast<const char*>(found.data()), found.size() * sizeof(Found));
}

std::vector<Found> found_from(const std::string& bytes) {
  std::vector<Found> found(bytes.size() / sizeof(Found));
  std::memcpy(found.data(), bytes.data(), found.size() * sizeof(Found));
  return found;
}

// Rank 0: the record that counts: ok before failed, then the newer (later log, later entry).
void keep_best(const std::vector<Found>& found, std::vector<RecordLocation>& of_task) {
  for (const Found& f : found) {
    RecordLocation& held = of_task[f.task];
    const bool better =
        !held.found() || (f.ok && !held.ok) ||
        (bool(f.ok) == held.ok && std::tie(f.log, f.entry) > std::tie(held.log, held.entry));
    if (better)
      held = RecordLocation{f.log, f.entry, f.ok != 0, f.offset, static_cast<uint32_t>(f.size)};
  }
}

}  // namespace

ScannedLogs scan_logs_together(MPI_Comm comm, const std::string& dir, const TaskList& tasks,
                               const std::vector<std::string>& written_here) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  std::vector<std::string> mine;
  for (const auto& path : written_here) mine.push_back(fs::path(path).filename().string());
  std::string written = joined_lines(mine);
  std::vector<std::set<std::string>> written_by(static_cast<size_t>(size));
  if (rank != 0) {
    send_bytes_patiently(written, 0, kTag, comm);
  } else {
    written_by[0].insert(mine.begin(), mine.end());
    for (int from = 1; from < size; ++from)
      for (auto& name : split_lines(receive_bytes_patiently(from, kTag, comm)))
        written_by[static_cast<size_t>(from)].insert(name);
  }
  ScannedLogs scanned;
  std::string listing;
  if (rank == 0) {
    const auto logs = list_logs(dir);
    const std::vector<int> reader = assign_readers(logs, written_by, size);
    for (size_t l = 0; l < logs.size(); ++l)
      listing += logs[l].first + '\0' + std::to_string(reader[l]) + '\0';
  }
  broadcast_text_patiently(listing, 0, comm);
  const std::vector<std::string> fields = split_lines(listing);
  for (size_t f = 0; f + 1 < fields.size(); f += 2) {
    scanned.logs.push_back(fields[f]);
    scanned.reader.push_back(std::stoi(fields[f + 1]));
  }
  Share share = scan_share(dir, tasks, scanned, rank);
  if (rank != 0) {
    send_bytes_patiently(found_bytes(share.found), 0, kTag, comm);
    send_bytes_patiently(joined_lines(share.problems), 0, kTag, comm);
    return scanned;
  }
  scanned.of_task.assign(tasks.size(), RecordLocation{});
  keep_best(share.found, scanned.of_task);
  scanned.problems = std::move(share.problems);
  for (int from = 1; from < size; ++from) {
    keep_best(found_from(receive_bytes_patiently(from, kTag, comm)), scanned.of_task);
    for (auto& problem : split_lines(receive_bytes_patiently(from, kTag, comm)))
      scanned.problems.push_back(std::move(problem));
  }
  std::sort(scanned.problems.begin(), scanned.problems.end());
  return scanned;
}

}  // namespace riskstep
