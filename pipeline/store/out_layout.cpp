#include "pipeline/store/out_layout.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace riskstep::out_layout {

namespace {
std::string in(const std::string& dir, const std::string& name) {
  return (std::filesystem::path(dir) / name).string();
}
}  // namespace

std::string spec_file(const std::string& dir) {
  return in(dir, "spec.toml");
}
std::string sweep_manifest(const std::string& dir) {
  return in(dir, "sweep.json");
}
std::string lock_file(const std::string& dir) {
  return in(dir, "riskstep.lock");
}
std::string logs_dir(const std::string& dir) {
  return in(dir, "logs");
}
std::string log_file(const std::string& dir, const std::string& run_id, int rank) {
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, ".r%05d.log", rank);
  return in(logs_dir(dir), run_id + suffix);
}
std::string parts_dir(const std::string& dir) {
  return in(dir, "parts");
}
std::string tasks_dir(const std::string& dir) {
  return in(dir, "tasks");
}

std::string new_run_id() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  std::tm utc{};
  gmtime_r(&now.tv_sec, &utc);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &utc);
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "unknown");
  for (char* c = host; *c; ++c)
    if (!std::isalnum(static_cast<unsigned char>(*c)) && *c != '-' && *c != '.') *c = '_';
  char id[400];
  std::snprintf(id, sizeof id, "%s.%09ldZ-%s-%ld", stamp, static_cast<long>(now.tv_nsec), host,
                static_cast<long>(getpid()));
  return id;
}
std::string checkpoint_dir(const std::string& dir, const std::string& task_id) {
  return in(in(dir, "checkpoints"), task_id);
}
std::string results_file(const std::string& dir) {
  return in(dir, "results.h5");
}

std::string existing_results_file(const std::string& input) {
  const bool directory = std::filesystem::is_directory(input);
  const std::string path = directory ? results_file(input) : input;
  if (!std::filesystem::exists(path))
    throw std::invalid_argument(path + ": no such results file" +
                                (directory ? " (has the sweep finished?)" : ""));
  return path;
}
std::string report_file(const std::string& dir) {
  return in(dir, "report.html");
}
std::string slurm_dir(const std::string& dir) {
  return in(dir, "slurm");
}

bool is_own_entry(const std::string& name) {
  static const std::set<std::string> own = {
      "spec.toml",   "sweep.json", "riskstep.lock", "logs",  "parts",
      "checkpoints", "results.h5", "report.html",   "slurm", "tasks"};
  return own.count(name) > 0 || name.find(".tmp.") != std::string::npos;
}

}  // namespace riskstep::out_layout
