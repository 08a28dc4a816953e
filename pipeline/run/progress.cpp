#include "pipeline/run/progress.h"

#include <unistd.h>

#include <cmath>

namespace riskstep {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char text[32];
  if (s < 60)
    std::snprintf(text, sizeof text, "%lds", s);
  else if (s < 3600)
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  return text;
}

std::string ProgressLine::format(size_t done, size_t total, size_t failed, double elapsed) {
  std::string line = "sweep: " + std::to_string(done) + "/" + std::to_string(total) +
                     " tasks done, " + std::to_string(failed) + " failed, elapsed " +
                     format_duration(elapsed);
  if (done > 0 && done < total)
    line += ", ETA " + format_duration(elapsed / static_cast<double>(done) *
                                       static_cast<double>(total - done));
  return line;
}

ProgressLine::ProgressLine(std::FILE* stream, size_t total, bool always,
                           double plain_interval_seconds)
    : stream_(stream != nullptr && (always || isatty(fileno(stream))) ? stream : nullptr),
      total_(total),
      terminal_(stream_ != nullptr && isatty(fileno(stream_))),
      interval_seconds_(terminal_ ? 0.2 : plain_interval_seconds),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

void ProgressLine::update(size_t done, size_t failed, bool force) {
  if (!stream_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since_print = std::chrono::duration<double>(now - last_print_).count();
  if (!force && since_print < interval_seconds_) return;
  last_print_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string line = format(done, total_, failed, elapsed);
  if (!running_.empty()) line += "; running " + running_;
  // A terminal line must fit its width: cut the list of what runs.
  if (terminal_ && line.size() > 160) line = line.substr(0, 157) + "...";
  if (terminal_)
    std::fprintf(stream_, "\r%s\x1b[K", line.c_str());
  else
    std::fprintf(stream_, "%s\n", line.c_str());
  std::fflush(stream_);
}

void ProgressLine::finish(size_t done, size_t failed) {
  if (!stream_) return;
  running_.clear();
  update(done, failed, true);
  if (terminal_) std::fprintf(stream_, "\n");
  std::fflush(stream_);
}

}  // namespace riskstep
