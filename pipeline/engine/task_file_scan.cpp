#include "pipeline/engine/task_file_scan.h"

#include <algorithm>
#include <cstdint>

#include "pipeline/comm/mpi_wait.h"
#include "pipeline/engine/out_dir.h"
#include "pipeline/store/record_codec.h"

namespace riskstep {
namespace {

constexpr int kTag = 7301;
constexpr uint64_t kChunk = uint64_t{1} << 30;  // MPI counts are int: send in pieces of 1 GiB

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

void send_bytes(const std::string& bytes, MPI_Comm comm) {
  uint64_t size = bytes.size();
  MPI_Request request;
  MPI_Isend(&size, 1, MPI_UINT64_T, 0, kTag, comm, &request);
  wait_patiently(request);
  for (uint64_t at = 0; at < size; at += kChunk) {
    MPI_Isend(bytes.data() + at, static_cast<int>(std::min(kChunk, size - at)), MPI_BYTE, 0, kTag,
              comm, &request);
    wait_patiently(request);
  }
}

std::string receive_bytes(int from, MPI_Comm comm) {
  uint64_t size = 0;
  MPI_Request request;
  MPI_Irecv(&size, 1, MPI_UINT64_T, from, kTag, comm, &request);
  wait_patiently(request);
  std::string bytes(size, '\0');
  for (uint64_t at = 0; at < size; at += kChunk) {
    MPI_Irecv(bytes.data() + at, static_cast<int>(std::min(kChunk, size - at)), MPI_BYTE, from,
              kTag, comm, &request);
    wait_patiently(request);
  }
  return bytes;
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
    send_bytes(mine.found, comm);
    send_bytes(joined(mine.problems), comm);
    send_bytes(encode_records(mine.records), comm);
    return scanned;
  }
  scanned.records.resize(indices.size());
  place_share(std::move(mine), 0, size, scanned);  // rank 0's own share needs no bytes
  for (int from = 1; from < size; ++from) {
    Share theirs;
    theirs.found = receive_bytes(from, comm);
    theirs.problems = split(receive_bytes(from, comm));
    theirs.records = decode_records(receive_bytes(from, comm));
    place_share(std::move(theirs), from, size, scanned);
  }
  std::sort(scanned.problems.begin(), scanned.problems.end());  // by file name, whoever read it
  return scanned;
}

}  // namespace riskstep
