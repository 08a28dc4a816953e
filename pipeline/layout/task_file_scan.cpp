#include "pipeline/layout/task_file_scan.h"

#include <algorithm>
#include <cstdint>

#include "pipeline/comm/mpi_wait.h"
#include "pipeline/layout/out_dir.h"
#include "pipeline/store/record_codec.h"

namespace riskstep {
namespace {

constexpr int kTag = 7301;

// What one rank found: for each position it read, whether the file counted; the records found,
// in order; the problems.
struct Share {
  std::string found;
  std::vector<TaskRecord> records;
  std::vector<std::string> problems;
};

Share read_share(const std::string& dir, const std::vector<Task>& tasks,
                 const std::vector<size_t>& indices, int rank, int size) {
  std::vector<Task> mine;
  for (size_t k = rank; k < indices.size(); k += size) mine.push_back(tasks[indices[k]]);
  Share share;
  for (auto& record : scan_task_files(dir, mine, &share.problems)) {
    share.found.push_back(record ? 1 : 0);
    if (record) share.records.push_back(std::move(*record));
  }
  return share;
}

// Problems as one string, each ended by '\0', and back.
std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + '\0';
  return text;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = text.find('\0', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

// Rank 0: rank `from`'s share into the positions from, from + size, ...
void place_share(Share share, int from, int size, ScannedTaskFiles& scanned) {
  size_t next = 0;
  for (size_t j = 0; j < share.found.size(); ++j)
    if (share.found[j]) scanned.records[from + j * size] = std::move(share.records.at(next++));
  for (auto& problem : share.problems) scanned.problems.push_back(std::move(problem));
}

}  // namespace

ScannedTaskFiles scan_task_files_together(MPI_Comm comm, const std::string& dir,
                                          const std::vector<Task>& tasks,
                                          const std::vector<size_t>& indices) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  Share mine = read_share(dir, tasks, indices, rank, size);
  ScannedTaskFiles scanned;
  if (rank != 0) {
    send_bytes_patiently(mine.found, 0, kTag, comm);
    send_bytes_patiently(joined(mine.problems), 0, kTag, comm);
    send_bytes_patiently(encode_records(mine.records), 0, kTag, comm);
    return scanned;
  }
  scanned.records.resize(indices.size());
  place_share(std::move(mine), 0, size, scanned);  // rank 0's own share needs no bytes
  for (int from = 1; from < size; ++from) {
    Share theirs;
    theirs.found = receive_bytes_patiently(from, kTag, comm);
    theirs.problems = split(receive_bytes_patiently(from, kTag, comm));
    theirs.records = decode_records(receive_bytes_patiently(from, kTag, comm));
    place_share(std::move(theirs), from, size, scanned);
  }
  std::sort(scanned.problems.begin(), scanned.problems.end());  // by file name, whoever read it
  return scanned;
}

}  // namespace riskstep
