#include "pipeline/process/stop_signal.h"

#include <atomic>
#include <csignal>

namespace riskstep {

namespace {

std::atomic<bool> stop_flag{false};  // lock-free: set from the signal handler
struct sigaction previous_usr1;

void on_usr1(int) {
  stop_flag.store(true);
}

}  // namespace

StopRequestGuard::StopRequestGuard() {
  struct sigaction action {};
  action.sa_handler = on_usr1;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // a stop request must not fail a read or an MPI call
  sigaction(SIGUSR1, &action, &previous_usr1);
}

StopRequestGuard::~StopRequestGuard() {
  sigaction(SIGUSR1, &previous_usr1, nullptr);
}

bool stop_requested() {
  return stop_flag.load();
}
void request_stop() {
  stop_flag.store(true);
}
void clear_stop_request() {
  stop_flag.store(false);
}

}  // namespace riskstep
