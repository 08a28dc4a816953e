#pragma once
// SIGINT/SIGTERM during a sweep: exit promptly, never leave a half-written file behind.
// Finished tasks are already on disk (task files are renamed into place when complete), so the
// only thing worth waiting for is a write in progress; everything else is cut short.
#include <string>

namespace riskstep {

// Installs the handlers for its lifetime (restoring the previous ones after). On a signal outside
// a CriticalWrite the process prints `message` (if not empty) to stderr and exits with 128+signal
// at once; inside one it does so when the outermost CriticalWrite ends.
class InterruptGuard {
 public:
  explicit InterruptGuard(const std::string& message);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// Marks a file write (any thread) that a signal must not cut in half.
class CriticalWrite {
 public:
  CriticalWrite();
  ~CriticalWrite();
  CriticalWrite(const CriticalWrite&) = delete;
  CriticalWrite& operator=(const CriticalWrite&) = delete;
};

}  // namespace riskstep
