#include "pipeline/run/merge.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include "pipeline/comm/mpi_wait.h"
#include "pipeline/core/printable.h"
#include "pipeline/store/out_layout.h"
#include "pipeline/store/part_file.h"
#include "pipeline/store/record_codec.h"
#include "pipeline/store/result_store.h"
#include "pipeline/store/summary_schema.h"
#include "pipeline/store/summary_table.h"

namespace riskstep {

namespace fs = std::filesystem;

namespace {

constexpr int kTag = 7303;
// Tasks per /summary block: what rank 0 holds of the summary at a time.
constexpr size_t kBlockTasks = 1 << 16;

int rank_of(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

int size_of(MPI_Comm comm) {
  int size = 1;
  MPI_Comm_size(comm, &size);
  return size;
}

int64_t sum_over_ranks(MPI_Comm comm, int64_t mine) {
  MPI_Request request;
  MPI_Iallreduce(MPI_IN_PLACE, &mine, 1, MPI_INT64_T, MPI_SUM, comm, &request);
  wait_patiently(request);
  return mine;
}

std::string log_path(const std::string& dir, const ScannedLogs& scanned, uint32_t log) {
  return (fs::path(out_layout::logs_dir(dir)) / scanned.logs[log]).string();
}

// This rank's part of a log it read: one already there that holds the records the scan found,
// else a new one ("" and an error line when it cannot be written).
std::string part_for(const std::string& dir, const ScannedLogs& scanned, uint32_t log,
                     const std::map<std::string, std::vector<std::string>>& parts_of_stem,
                     std::vector<std::string>& errors, int rank) {
  const std::string log_name = scanned.logs[log];
  const std::string stem = log_name.substr(0, log_name.size() - 4);
  const auto scan = scanned.mine.find(log);
  if (scan == scanned.mine.end()) return "";  // unreadable: its tasks are not counted
  if (auto it = parts_of_stem.find(stem); it != parts_of_stem.end())
    for (const auto& name : it->second)
      if (part_file_holds((fs::path(out_layout::parts_dir(dir)) / name).string(), scan->second))
        return name;
  try {
    return fs::path(write_part_file(out_layout::parts_dir(dir), log_path(dir, scanned, log),
                                    scan->second))
        .filename()
        .string();
  } catch (const std::exception& error) {
    errors.push_back("rank " + std::to_string(rank) + ": " + printable(error.what()));
    return "";
  }
}

std::map<std::string, std::vector<std::string>> parts_by_stem(const std::string& dir) {
  std::map<std::string, std::vector<std::string>> parts;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(out_layout::parts_dir(dir), error)) {
    const std::string name = entry.path().filename().string();
    if (const std::string stem = part_log_stem(name); !stem.empty()) parts[stem].push_back(name);
  }
  return parts;
}

// A task whose summary rows a rank contributes: its index and where its record lies.
struct Contribution {
  uint32_t task;
  uint32_t log;
  uint64_t offset;
  uint64_t size;
};

// Reads the records of this rank's contributions, in task order, through open logs.
class RecordSource {
 public:
  RecordSource(const std::string& dir, const ScannedLogs& scanned) : dir_(dir), scanned_(scanned) {}
  ~RecordSource() {
    for (const auto& [log, fd] : fds_) ::close(fd);
  }
  RecordSource(const RecordSource&) = delete;
  RecordSource& operator=(const RecordSource&) = delete;

  Table rows_of(const Contribution& c, const TaskList& tasks) {
    const std::string path = log_path(dir_, scanned_, c.log);
    auto it = fds_.find(c.log);
    if (it == fds_.end()) {
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
      it = fds_.emplace(c.log, fd).first;
    }
    LogEntry entry;
    entry.offset = c.offset;
    entry.size = static_cast<uint32_t>(c.size);
    entry.id = tasks.id(c.task);
    return summary_rows(read_logged_record(it->second, path, entry));
  }

 private:
  const std::string& dir_;
  const ScannedLogs& scanned_;
  std::map<uint32_t, int> fds_;
};

std::string contribution_bytes(const std::vector<Contribution>& list) {
  return std::string(reinterpret_cast<const char*>(list.data()),
                     list.size() * sizeof(Contribution));
}

std::vector<Contribution> contributions_from(const std::string& bytes) {
  std::vector<Contribution> list(bytes.size() / sizeof(Contribution));
  std::memcpy(list.data(), bytes.data(), list.size() * sizeof(Contribution));
  return list;
}

// Rank 0: each rank's ok tasks among `selected` (the ones with summary rows), by the log's reader.
std::vector<std::vector<Contribution>> contributions_by_rank(const ScannedLogs& scanned,
                                                             const std::vector<size_t>& selected,
                                                             int size) {
  std::vector<std::vector<Contribution>> by_rank(static_cast<size_t>(size));
  for (size_t i : selected) {
    const RecordLocation& at = scanned.of_task[i];
    if (!at.found() || !at.ok) continue;
    by_rank[static_cast<size_t>(scanned.reader[at.log])].push_back(
        Contribution{static_cast<uint32_t>(i), at.log, at.offset, at.size});
  }
  return by_rank;
}

// One block's rows from this rank: (task, rows) for its contributions in [first, last).
std::string block_message(std::vector<Contribution>::const_iterator& next,
                          std::vector<Contribution>::const_iterator end, uint64_t last,
                          RecordSource& source, const TaskList& tasks, std::string& error) {
  std::string bytes(1, '\0');
  if (!error.empty()) return std::string(1, '\1') + error;
  try {
    uint64_t count = 0;
    std::string items;
    for (; next != end && next->task < last; ++next) {
      const Table rows = source.rows_of(*next, tasks);
      if (rows.names.empty()) continue;
      const uint64_t task = next->task;
      items.append(reinterpret_cast<const char*>(&task), sizeof task);
      encode_table(rows, items);
      ++count;
    }
    bytes.append(reinterpret_cast<const char*>(&count), sizeof count);
    return bytes + items;
  } catch (const std::exception& failure) {
    error = failure.what();
    return std::string(1, '\1') + error;
  }
}

void add_block_rows(const std::string& message, std::vector<std::pair<uint64_t, Table>>& rows) {
  if (message.empty() || message[0] != '\0')
    throw std::runtime_error(message.size() > 1 ? message.substr(1) : "a rank sent nothing");
  uint64_t count = 0;
  std::memcpy(&count, message.data() + 1, sizeof count);
  size_t at = 1 + sizeof count;
  for (uint64_t k = 0; k < count; ++k) {
    uint64_t task = 0;
    std::memcpy(&task, message.data() + at, sizeof task);
    at += sizeof task;
    size_t used = 0;
    rows.emplace_back(task, decode_table(message.data() + at, message.size() - at, used));
    at += used;
  }
}

// Rank 0's end of the /summary stream: block by block, every rank's rows in task order, brought
// to the schema's columns. drain() takes the blocks left when writing stopped early.
class SummaryStream {
 public:
  SummaryStream(MPI_Comm comm, size_t blocks, const std::vector<Contribution>& own,
                RecordSource& source, const TaskList& tasks, SummarySchema schema)
      : comm_(comm),
        blocks_(blocks),
        next_(own.begin()),
        end_(own.end()),
        source_(source),
        tasks_(tasks),
        conformer_(std::move(schema)) {}

  bool next(Table& block) {
    if (block_ == blocks_) return false;
    std::vector<std::pair<uint64_t, Table>> rows;
    const uint64_t last = (block_ + 1) * kBlockTasks;
    add_block_rows(block_message(next_, end_, last, source_, tasks_, error_), rows);
    for (int from = 1; from < size_of(comm_); ++from)
      add_block_rows(receive_bytes_patiently(from, kTag, comm_), rows);
    ++block_;
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    block = Table{};
    for (const auto& [task, table] : rows) block.append_rows(conformer_.conform(table));
    return true;
  }

  void drain() {
    for (; block_ < blocks_; ++block_)
      for (int from = 1; from < size_of(comm_); ++from) receive_bytes_patiently(from, kTag, comm_);
  }

 private:
  MPI_Comm comm_;
  size_t blocks_;
  size_t block_ = 0;
  std::vector<Contribution>::const_iterator next_, end_;
  RecordSource& source_;
  const TaskList& tasks_;
  SummaryConformer conformer_;
  std::string error_;
};

// Rank 0: part files no log's part is any more (superseded or orphaned).
void remove_unlisted_parts(const std::string& dir, const std::vector<std::string>& listed) {
  const std::set<std::string> keep(listed.begin(), listed.end());
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(out_layout::parts_dir(dir), error)) {
    const std::string name = entry.path().filename().string();
    if (!part_log_stem(name).empty() && !keep.count(name)) fs::remove(entry.path(), error);
  }
}

}  // namespace

PartsMade make_parts(MPI_Comm comm, const std::string& dir, const ScannedLogs& scanned,
                     const std::vector<std::string>& only_these) {
  const int rank = rank_of(comm), size = size_of(comm);
  const std::set<std::string> only(only_these.begin(), only_these.end());
  const auto existing = parts_by_stem(dir);
  std::vector<std::string> mine, errors;  // mine: "log\0part" pairs
  for (uint32_t l = 0; l < scanned.logs.size(); ++l) {
    if (scanned.reader[l] != rank || (!only.empty() && !only.count(scanned.logs[l]))) continue;
    const std::string part = part_for(dir, scanned, l, existing, errors, rank);
    mine.push_back(std::to_string(l));
    mine.push_back(part);
  }
  PartsMade made;
  made.ok = sum_over_ranks(comm, static_cast<int64_t>(errors.size())) == 0;
  if (rank != 0) {
    send_bytes_patiently(joined_lines(mine), 0, kTag, comm);
    send_bytes_patiently(joined_lines(errors), 0, kTag, comm);
    return made;
  }
  made.part_of_log.assign(scanned.logs.size(), "");
  made.errors = errors;
  for (int from = 0; from < size; ++from) {
    const std::vector<std::string> pairs =
        from == 0 ? mine : split_lines(receive_bytes_patiently(from, kTag, comm));
    for (size_t p = 0; p + 1 < pairs.size(); p += 2)
      if (!pairs[p + 1].empty()) made.part_of_log[std::stoul(pairs[p])] = "parts/" + pairs[p + 1];
    if (from > 0)
      for (auto& line : split_lines(receive_bytes_patiently(from, kTag, comm)))
        made.errors.push_back(std::move(line));
  }
  return made;
}

bool write_merged_results(MPI_Comm comm, const std::string& dir, const TaskList& tasks,
                          const std::vector<size_t>& selected, const ScannedLogs& scanned,
                          const PartsMade& parts, const RunMetadata& metadata,
                          std::vector<std::string>& errors) {
  const int rank = rank_of(comm), size = size_of(comm);
  // Each rank learns its contributions and reports what it saw of their columns.
  std::vector<Contribution> own;
  if (rank == 0) {
    auto by_rank = contributions_by_rank(scanned, selected, size);
    for (int to = 1; to < size; ++to)
      send_bytes_patiently(contribution_bytes(by_rank[static_cast<size_t>(to)]), to, kTag, comm);
    own = std::move(by_rank[0]);
  } else {
    own = contributions_from(receive_bytes_patiently(0, kTag, comm));
  }
  RecordSource source(dir, scanned);
  std::string seen;  // '\0' + sightings, or '\1' + why not
  try {
    SummarySightings sightings;
    for (const Contribution& c : own)
      if (const Table rows = source.rows_of(c, tasks); !rows.names.empty())
        sightings.observe(c.task, rows);
    seen = std::string(1, '\0') + encode_sightings(sightings.columns());
  } catch (const std::exception& error) {
    seen = std::string(1, '\1') + "rank " + std::to_string(rank) + ": " + printable(error.what());
  }
  int go = 1;
  SummarySchema schema;
  if (rank != 0) {
    send_bytes_patiently(seen, 0, kTag, comm);
  } else {
    std::vector<std::vector<ColumnSighting>> per_rank;
    for (int from = 0; from < size; ++from) {
      const std::string bytes = from == 0 ? seen : receive_bytes_patiently(from, kTag, comm);
      if (bytes.empty() || bytes[0] != '\0') {
        errors.push_back(bytes.size() > 1 ? bytes.substr(1) : "a rank sent nothing");
        go = 0;
        continue;
      }
      per_rank.push_back(decode_sightings(bytes.substr(1)));
    }
    for (size_t i : selected)
      if (scanned.of_task[i].found() && parts.part_of_log[scanned.of_task[i].log].empty()) {
        errors.push_back("logs/" + scanned.logs[scanned.of_task[i].log] + ": no part file");
        go = 0;
        break;
      }
    if (go) schema = combine_sightings(per_rank);
  }
  broadcast_patiently(&go, 1, MPI_INT, 0, comm);
  if (!go) return false;

  const size_t blocks = (tasks.size() + kBlockTasks - 1) / kBlockTasks;
  if (rank != 0) {
    auto next = own.cbegin();
    std::string error;
    for (size_t b = 0; b < blocks; ++b)
      send_bytes_patiently(
          block_message(next, own.cend(), (b + 1) * kBlockTasks, source, tasks, error), 0, kTag,
          comm);
  } else {
    std::vector<std::string> listed;  // every log's part, linked or not
    std::map<std::string, size_t> part_index;
    for (const auto& part : parts.part_of_log)
      if (!part.empty() && part_index.emplace(part, listed.size()).second) listed.push_back(part);
    SummaryStream stream(comm, blocks, own, source, tasks, schema);
    IndexContents contents;
    contents.parts = listed;
    size_t cursor = 0;
    contents.next_link = [&](std::string& id, size_t& part, size_t& row) {
      for (; cursor < selected.size(); ++cursor) {
        const RecordLocation& at = scanned.of_task[selected[cursor]];
        if (!at.found()) continue;
        id = tasks.id(selected[cursor]);
        part = part_index.at(parts.part_of_log[at.log]);
        row = at.entry;
        ++cursor;
        return true;
      }
      return false;
    };
    contents.summary_schema = schema.empty();
    contents.summary_text_sizes = schema.text_sizes;
    contents.next_summary_block = [&](Table& block) { return stream.next(block); };
    try {
      write_results_index(out_layout::results_file(dir), metadata, contents);
    } catch (const std::exception& error) {
      errors.push_back(printable(error.what()));
      go = 0;
    }
    stream.drain();
    if (go) {
      std::vector<std::string> names;
      for (const auto& part : listed) names.push_back(fs::path(part).filename().string());
      remove_unlisted_parts(dir, names);
    }
  }
  broadcast_patiently(&go, 1, MPI_INT, 0, comm);
  return go != 0;
}

}  // namespace riskstep
