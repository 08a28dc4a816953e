#pragma once
// One mapping from what a command throws to riskstep's exit status (pipeline/core/exit_status.h),
// so every command reports an error the same way: one line "riskstep COMMAND: message" on stderr
// (from rank 0; the other ranks of mpirun have the same error), then
//   bad input (std::invalid_argument, SpecError) -> exit_status::bad_input
//   any other std::exception -> `otherwise`
// `otherwise` is exit_status::failed (riskstep could not finish: a write, a child process), or
// bad_input for commands that only read the files they are given (an unreadable file is the
// input's fault).
#include <functional>
#include <string>

#include "pipeline/core/exit_status.h"

namespace riskstep {

int run_command(const std::string& command, const std::function<int()>& body,
                int otherwise = exit_status::failed);

// The same for one step of a command that returns nothing: exit_status::ok when it returned.
int run_step(const std::string& command, const std::function<void()>& step,
             int otherwise = exit_status::failed);

// "riskstep COMMAND: message" on stderr from rank 0, the message made printable.
void print_command_error(const std::string& command, const std::string& message);

}  // namespace riskstep
