#include "pipeline/comm/rank0_decides.h"

#include <exception>
#include <stdexcept>
#include <string>

#include "pipeline/comm/mpi_wait.h"

namespace riskstep {

void decide_on_rank0(MPI_Comm comm, const std::function<void()>& decide) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  if (size == 1) return decide();
  // "" when rank 0 succeeded, else 'u' (user error) or 'f' (failure) and the message.
  std::string verdict;
  std::exception_ptr thrown;
  if (rank == 0) {
    try {
      decide();
    } catch (const std::invalid_argument& error) {
      thrown = std::current_exception();
      verdict = std::string("u") + error.what();
    } catch (const std::exception& error) {
      thrown = std::current_exception();
      verdict = std::string("f") + error.what();
    }
  }
  broadcast_text_patiently(verdict, 0, comm);
  if (thrown) std::rethrow_exception(thrown);
  if (verdict.empty()) return;
  if (verdict[0] == 'u') throw std::invalid_argument(verdict.substr(1));
  throw std::runtime_error(verdict.substr(1));
}

}  // namespace riskstep
