#include "pipeline/engine/out_dir.h"

#include <unistd.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "pipeline/core/sha256.h"
#include "pipeline/engine/sweep.h"
#include "pipeline/store/atomic_file.h"

namespace riskstep {

namespace fs = std::filesystem;

std::string sweep_fingerprint(const std::vector<Task>& tasks) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& task : tasks) list.push_back({task.id, task.seed, task.ranks});
  return sha256_hex(list.dump());
}

void prepare_sweep_directory(const std::string& dir, const SweepSpec& spec,
                             const std::vector<Task>& tasks, bool force, bool remove_temporaries) {
  const fs::path root(dir);
  std::error_code error;
  fs::create_directories(root / "tasks", error);
  if (error)
    throw std::runtime_error(dir + ": cannot create the output directory: " + error.message());

  const std::string fingerprint = sweep_fingerprint(tasks);
  const fs::path manifest = root / "sweep.json";
  if (fs::exists(manifest) && !force) {
    std::string previous;
    size_t previous_tasks = 0;
    try {
      const auto json = nlohmann::json::parse(read_text_file(manifest.string()));
      previous = json.at("fingerprint").get<std::string>();
      previous_tasks = json.at("tasks").get<size_t>();
    } catch (const std::exception&) {
      throw std::runtime_error(manifest.string() +
                               ": unreadable; use --force to overwrite it, or another --out");
    }
    if (previous != fingerprint)
      throw std::runtime_error(dir + " holds a different sweep (" + std::to_string(previous_tasks) +
                               " tasks, see " + (root / "spec.toml").string() +
                               "; this spec gives " + std::to_string(tasks.size()) +
                               " tasks): use --force to run into it anyway, or another --out");
  }
  write_file_atomically((root / "spec.toml").string(), spec.text);
  nlohmann::json json = {{"fingerprint", fingerprint},
                         {"tasks", tasks.size()},
                         {"kind", spec.kind},
                         {"spec_sha256", sha256_hex(spec.text)},
                         {"overrides", spec.overrides}};
  write_file_atomically(manifest.string(), json.dump(2) + "\n");

  if (!remove_temporaries) return;
  // Temporaries are only ever left by a killed writer when no other run shares this directory.
  for (const auto& entry : fs::directory_iterator(root / "tasks", error)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".h5.tmp.") != std::string::npos) fs::remove(entry.path(), error);
  }
  for (const auto& entry : fs::directory_iterator(root, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("results.h5.tmp.", 0) == 0) fs::remove(entry.path(), error);
  }
}

std::vector<std::optional<TaskRecord>> scan_task_files(const std::string& dir,
                                                       const std::vector<Task>& tasks) {
  std::vector<std::optional<TaskRecord>> records;
  records.reserve(tasks.size());
  for (const auto& task : tasks) {
    auto record = read_task_file(task_file_path(dir, task.id));
    if (record && (record->task.id != task.id || record->task.seed != task.seed ||
                   record->task.kind != task.kind))
      record.reset();
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace riskstep
