#pragma once
// "Rank 0 decides, every rank learns the outcome": checks and claims that touch shared state
// (the output directory, a checkpoint directory) run on rank 0 alone, and every rank must then
// take the same branch, or the ones that went on would wait for ever in a collective the others
// never reach. decide_on_rank0 runs `decide` on rank 0 of `comm` and broadcasts whether it threw
// and its message (waiting without spinning, mpi_wait.h): rank 0 rethrows its own exception, the
// other ranks throw std::invalid_argument (when rank 0's was one: a user error) or
// std::runtime_error with the same message. Collective over `comm`; a communicator of one rank
// makes no MPI call (single-rank tasks run on a helper thread, see pipeline/run/farm.h).
#include <mpi.h>

#include <functional>

namespace riskstep {

void decide_on_rank0(MPI_Comm comm, const std::function<void()>& decide);

}  // namespace riskstep
