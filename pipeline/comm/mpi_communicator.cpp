#include "pipeline/comm/mpi_communicator.h"

#include <algorithm>
#include <climits>
#include <stdexcept>
#include <vector>

namespace riskstep {

size_t element_size(ElementType type) {
  switch (type) {
    case ElementType::float32:
      return 4;
    case ElementType::float64:
      return 8;
    case ElementType::int64:
      return 8;
  }
  throw std::invalid_argument("element_size: unknown ElementType");
}

std::string element_type_name(ElementType type) {
  switch (type) {
    case ElementType::float32:
      return "float32";
    case ElementType::float64:
      return "float64";
    case ElementType::int64:
      return "int64";
  }
  throw std::invalid_argument("element_type_name: unknown ElementType");
}

MPI_Datatype mpi_datatype(ElementType type) {
  switch (type) {
    case ElementType::float32:
      return MPI_FLOAT;
    case ElementType::float64:
      return MPI_DOUBLE;
    case ElementType::int64:
      return MPI_INT64_T;
  }
  throw std::invalid_argument("mpi_datatype: unknown ElementType");
}

namespace {

void check_mpi(int code, const char* call) {
  if (code == MPI_SUCCESS) return;
  char message[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, message, &length);
  throw std::runtime_error(std::string(call) + " failed: " + std::string(message, length));
}

// MPI counts are int; gradients of a large model can exceed INT_MAX elements in one bucket only
// if someone asks for it, so split into int-sized chunks rather than silently truncating.
constexpr size_t kMaxChunk = static_cast<size_t>(INT_MAX) / 2;

class MpiPendingReduction : public PendingReduction {
 public:
  explicit MpiPendingReduction(std::vector<MPI_Request> requests)
      : requests_(std::move(requests)) {}
  ~MpiPendingReduction() override {
    if (!requests_.empty())
      MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
  }
  void wait() override {
    if (requests_.empty()) return;
    check_mpi(
        MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE),
        "MPI_Waitall");
    requests_.clear();
  }
  bool test() override {
    if (requests_.empty()) return true;
    int done = 0;
    check_mpi(MPI_Testall(static_cast<int>(requests_.size()), requests_.data(), &done,
                          MPI_STATUSES_IGNORE),
              "MPI_Testall");
    if (done) requests_.clear();
    return done != 0;
  }

 private:
  std::vector<MPI_Request> requests_;
};

}  // namespace

MpiCommunicator::MpiCommunicator(MPI_Comm comm) : comm_(comm) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized)
    throw std::runtime_error("MpiCommunicator: MPI is not initialised (call MPI_Init first)");
  check_mpi(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
  check_mpi(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
}

void MpiCommunicator::broadcast(void* data, size_t count, ElementType type, int root) {
  auto* bytes = static_cast<char*>(data);
  const size_t width = element_size(type);
  for (size_t offset = 0; offset < count; offset += kMaxChunk) {
    const size_t chunk = std::min(kMaxChunk, count - offset);
    check_mpi(
        MPI_Bcast(bytes + offset * width, static_cast<int>(chunk), mpi_datatype(type), root, comm_),
        "MPI_Bcast");
  }
}

void MpiCommunicator::allreduce_sum(void* data, size_t count, ElementType type) {
  auto* bytes = static_cast<char*>(data);
  const size_t width = element_size(type);
  for (size_t offset = 0; offset < count; offset += kMaxChunk) {
    const size_t chunk = std::min(kMaxChunk, count - offset);
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, bytes + offset * width, static_cast<int>(chunk),
                            mpi_datatype(type), MPI_SUM, comm_),
              "MPI_Allreduce");
  }
}

std::unique_ptr<PendingReduction> MpiCommunicator::allreduce_sum_async(void* data, size_t count,
                                                                       ElementType type) {
  auto* bytes = static_cast<char*>(data);
  const size_t width = element_size(type);
  std::vector<MPI_Request> requests;
  for (size_t offset = 0; offset < count; offset += kMaxChunk) {
    const size_t chunk = std::min(kMaxChunk, count - offset);
    MPI_Request request;
    check_mpi(MPI_Iallreduce(MPI_IN_PLACE, bytes + offset * width, static_cast<int>(chunk),
                             mpi_datatype(type), MPI_SUM, comm_, &request),
              "MPI_Iallreduce");
    requests.push_back(request);
  }
  return std::make_unique<MpiPendingReduction>(std::move(requests));
}

void MpiCommunicator::barrier() {
  check_mpi(MPI_Barrier(comm_), "MPI_Barrier");
}

}  // namespace riskstep
