#include "app/run_command.h"

#include <mpi.h>

#include <iostream>
#include <stdexcept>

#include "pipeline/core/printable.h"
#include "pipeline/spec/sweep_spec.h"

namespace riskstep {

void print_command_error(const std::string& command, const std::string& message) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) std::cerr << "riskstep " << command << ": " << printable(message) << std::endl;
}

int run_command(const std::string& command, const std::function<int()>& body, int otherwise) {
  try {
    return body();
  } catch (const std::invalid_argument& error) {
    print_command_error(command, error.what());
    return exit_status::bad_input;
  } catch (const SpecError& error) {
    print_command_error(command, error.what());
    return exit_status::bad_input;
  } catch (const std::exception& error) {
    print_command_error(command, error.what());
    return otherwise;
  }
}

int run_step(const std::string& command, const std::function<void()>& step, int otherwise) {
  const auto body = [&] {
    step();
    return exit_status::ok;
  };
  return run_command(command, body, otherwise);
}

}  // namespace riskstep
