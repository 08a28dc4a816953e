#include "pipeline/comm/mpi_wait.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>

namespace riskstep {

void wait_patiently(MPI_Request& request) {
  auto pause = std::chrono::microseconds(100);
  while (true) {
    int done = 0;
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) return;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(5000));
  }
}

void broadcast_patiently(void* data, int count, MPI_Datatype type, int root, MPI_Comm comm) {
  MPI_Request request;
  MPI_Ibcast(data, count, type, root, comm, &request);
  wait_patiently(request);
}

void broadcast_text_patiently(std::string& text, int root, MPI_Comm comm) {
  uint64_t size = text.size();
  broadcast_patiently(&size, 1, MPI_UINT64_T, root, comm);
  text.resize(size);
  broadcast_patiently(text.data(), static_cast<int>(size), MPI_CHAR, root, comm);
}

void barrier_patiently(MPI_Comm comm) {
  MPI_Request request;
  MPI_Ibarrier(comm, &request);
  wait_patiently(request);
}

namespace {
constexpr uint64_t kPiece = uint64_t{1} << 30;
}

void send_bytes_patiently(const std::string& bytes, int to, int tag, MPI_Comm comm) {
  uint64_t size = bytes.size();
  MPI_Request request;
  MPI_Isend(&size, 1, MPI_UINT64_T, to, tag, comm, &request);
  wait_patiently(request);
  for (uint64_t at = 0; at < size; at += kPiece) {
    MPI_Isend(bytes.data() + at, static_cast<int>(std::min(kPiece, size - at)), MPI_BYTE, to, tag,
              comm, &request);
    wait_patiently(request);
  }
}

std::string receive_bytes_patiently(int from, int tag, MPI_Comm comm) {
  uint64_t size = 0;
  MPI_Request request;
  MPI_Irecv(&size, 1, MPI_UINT64_T, from, tag, comm, &request);
  wait_patiently(request);
  std::string bytes(size, '\0');
  for (uint64_t at = 0; at < size; at += kPiece) {
    MPI_Irecv(bytes.data() + at, static_cast<int>(std::min(kPiece, size - at)), MPI_BYTE, from, tag,
              comm, &request);
    wait_patiently(request);
  }
  return bytes;
}

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + '\0';
  return text;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = text.find('\0', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

}  // namespace riskstep
