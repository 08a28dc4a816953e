#pragma once
// One run at a time per output directory. Rank 0 holds an fcntl lock on DIR/riskstep.lock for
// the whole run; the kernel releases it when the process ends, even by kill -9, so a killed run
// never leaves a stale lock. Array shards share the lock (they write disjoint tasks); a normal
// run or a merge holds it alone. The file names the holder (host, pid, start time) for messages.
#include <string>

namespace riskstep {

class OutDirLock {
 public:
  enum class Mode { exclusive, shared };
  // Throws std::invalid_argument naming the holder when DIR is in use, unless `wait`: then
  // prints one line to stderr and blocks until it is free.
  OutDirLock(const std::string& dir, Mode mode, bool wait);
  ~OutDirLock();
  OutDirLock(const OutDirLock&) = delete;
  OutDirLock& operator=(const OutDirLock&) = delete;

 private:
  int fd_ = -1;
};

std::string lock_file_path(const std::string& dir);  // DIR/riskstep.lock

}  // namespace riskstep
