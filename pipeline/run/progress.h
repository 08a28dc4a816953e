#pragma once
// Sweep progress on rank 0: tasks done / total / failed / elapsed / ETA, and what runs. On a
// terminal one line rewritten in place (at most 5 times a second); elsewhere (logs, Slurm) silent
// unless `always`, then a plain line every `plain_interval_seconds`.
#include <chrono>
#include <cstdio>
#include <string>

namespace riskstep {

class ProgressLine {
 public:
  ProgressLine(std::FILE* stream, size_t total, bool always = false,
               double plain_interval_seconds = 5.0);
  // Cheap to call often: prints only when the interval has passed (or `force`).
  void update(size_t done, size_t failed, bool force = false);
  void running(const std::string& what) { running_ = what; }  // the units running, e.g. "a x5, b"
  void finish(size_t done, size_t failed);                    // final line, ends a terminal line

  static std::string format(size_t done, size_t total, size_t failed, double elapsed_seconds);

 private:
  std::FILE* stream_;
  size_t total_;
  bool terminal_;
  double interval_seconds_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
  std::string running_;
};

std::string format_duration(double seconds);  // "42s", "3m05s", "2h07m"

}  // namespace riskstep
