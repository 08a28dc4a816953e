#include "pipeline/layout/checkpoint_dir.h"

#include "pipeline/comm/rank0_decides.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "pipeline/store/atomic_file.h"

namespace riskstep {

namespace fs = std::filesystem;

namespace {

constexpr const char* kOwnerFile = "task.json";

std::string owner_text(const Task& task) {
  nlohmann::json json = nlohmann::json::parse(canonical_json(task.kind, task.params));
  json["id"] = task.id;
  json["seed"] = task.seed;
  json["input_sha256"] = task.input_sha256;
  return json.dump(2) + "\n";
}

Task recorded_task(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  try {
    const auto json = nlohmann::json::parse(text.str());
    Task task;
    task.kind = json.at("kind").get<std::string>();
    task.params = params_from_json(json.at("params").dump());
    task.id = json.at("id").get<std::string>();
    task.seed = json.at("seed").get<uint64_t>();
    task.input_sha256 = json.value("input_sha256", "");
    return task;
  } catch (const std::exception& error) {
    throw std::invalid_argument(path.string() + ": not a riskstep checkpoint record (" +
                                error.what() + ")");
  }
}

std::string value_text(const Params& params, const std::string& name) {
  const auto it = params.find(name);
  return it == params.end() ? "not set" : param_to_string(it->second);
}

}  // namespace

std::string first_difference(const Task& recorded, const Task& task) {
  if (recorded.kind != task.kind)
    return "kind '" + recorded.kind + "' there, '" + task.kind + "' here";
  std::set<std::string> names;
  for (const auto& [name, value] : recorded.params) names.insert(name);
  for (const auto& [name, value] : task.params) names.insert(name);
  for (const auto& name : names) {
    const auto there = recorded.params.find(name), here = task.params.find(name);
    const bool same = there != recorded.params.end() && here != task.params.end() &&
                      there->second == here->second;
    if (!same)
      return "setting '" + name + "': " + value_text(recorded.params, name) + " there, " +
             value_text(task.params, name) + " here";
  }
  if (recorded.input_sha256 != task.input_sha256)
    return "input data: sha256 " + recorded.input_sha256.substr(0, 12) + " there, " +
           task.input_sha256.substr(0, 12) + " here (other data)";
  if (recorded.seed != task.seed)
    return "seed " + std::to_string(recorded.seed) + " there, " + std::to_string(task.seed) +
           " here (another spec seed)";
  if (recorded.id != task.id)
    return "task id " + recorded.id + " there, " + task.id + " here (an older riskstep's)";
  return "";
}

void claim_checkpoint_dir(const std::string& dir, const Task& task, bool writer) {
  const fs::path owner = fs::path(dir) / kOwnerFile;
  std::error_code error;
  if (fs::exists(owner, error)) {
    const std::string difference = first_difference(recorded_task(owner), task);
    if (!difference.empty())
      throw std::invalid_argument(dir + " holds the checkpoint of another task (" + owner.string() +
                                  ": " + difference +
                                  "): use another checkpoint directory or remove it");
    return;
  }
  if (fs::exists(dir, error) && !fs::is_empty(dir, error))
    throw std::invalid_argument(dir + " holds files but no " + kOwnerFile +
                                ": not a riskstep checkpoint of this task; use another directory");
  if (!writer) return;
  fs::create_directories(dir, error);
  if (error)
    throw std::invalid_argument(dir +
                                ": cannot create the checkpoint directory: " + error.message());
  write_file_atomically(owner.string(), owner_text(task));
}

void claim_checkpoint_dir_together(const std::string& dir, const Task& task, MPI_Comm group) {
  decide_on_rank0(group, [&] { claim_checkpoint_dir(dir, task, true); });
}

}  // namespace riskstep
