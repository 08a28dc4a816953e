#include "pipeline/process/interrupt.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>

namespace riskstep {

namespace {

// Only async-signal-safe state: lock-free atomics and a fixed buffer written before installing.
std::atomic<int> critical_depth{0};
std::atomic<int> pending_signal{0};
char exit_message[1024] = {};
size_t exit_message_length = 0;
struct sigaction previous_int, previous_term;

[[noreturn]] void exit_now(int signal_number) {
  if (exit_message_length > 0) {
    ssize_t ignored = write(STDERR_FILENO, exit_message, exit_message_length);
    (void)ignored;
  }
  _exit(128 + signal_number);
}

void on_signal(int signal_number) {
  pending_signal.store(signal_number);
  if (critical_depth.load() == 0) exit_now(signal_number);
}

}  // namespace

InterruptGuard::InterruptGuard(const std::string& message) {
  const std::string line = message.empty() ? "" : message + "\n";
  exit_message_length = std::min(line.size(), sizeof exit_message - 1);
  std::memcpy(exit_message, line.data(), exit_message_length);
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
}

CriticalWrite::CriticalWrite() {
  critical_depth.fetch_add(1);
}

CriticalWrite::~CriticalWrite() {
  if (critical_depth.fetch_sub(1) == 1 && pending_signal.load() != 0)
    exit_now(pending_signal.load());
}

}  // namespace riskstep
