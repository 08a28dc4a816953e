#include "pipeline/store/out_layout.h"

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
std::string tasks_dir(const std::string& dir) {
  return in(dir, "tasks");
}
std::string task_file(const std::string& dir, const std::string& task_id) {
  return in(tasks_dir(dir), task_id + ".h5");
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
  static const std::set<std::string> own = {"spec.toml",   "sweep.json", "riskstep.lock", "tasks",
                                            "checkpoints", "results.h5", "report.html",   "slurm"};
  return own.count(name) > 0 || name.find(".tmp.") != std::string::npos;
}

}  // namespace riskstep::out_layout
