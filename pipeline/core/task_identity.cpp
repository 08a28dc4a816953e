#include "pipeline/core/task_identity.h"

#include <nlohmann/json.hpp>

#include "pipeline/core/sha256.h"

namespace riskstep {

namespace {

std::string document(const std::string& kind, const Params& canonical,
                     const std::string& input_sha256) {
  nlohmann::json settings = nlohmann::json::object();
  for (const auto& [name, value] : canonical) settings[name] = canonical_text(value);
  nlohmann::json doc = {{"kind", kind}, {"settings", settings}};
  if (!input_sha256.empty()) doc["input"] = input_sha256;
  return doc.dump();  // nlohmann::json objects keep keys sorted: canonical
}

// 15 hex digits keep a seed positive as int64 too (LibTorch takes signed seeds).
uint64_t seed_of(const std::string& text) {
  return std::stoull(sha256_hex(text).substr(0, 15), nullptr, 16);
}

}  // namespace

std::string identity_document(const Task& task, const SettingsSchema& schema, bool with_labels) {
  return document(task.kind, schema.canonical(task.params, with_labels), task.input_sha256);
}

Task make_task(std::string kind, const SettingsSchema& schema, const Params& given,
               uint64_t spec_seed, int ranks, const InputDigest& input_digest) {
  SettingsSchema::Split split = schema.split(given);
  Task task;
  task.kind = std::move(kind);
  if (input_digest) {
    Params settings = split.run;
    settings.insert(split.identity.begin(), split.identity.end());
    task.input_sha256 = input_digest(settings);
  }
  task.params = std::move(split.identity);
  task.run_settings = std::move(split.run);
  task.ranks = ranks;
  task.id = sha256_hex(identity_document(task, schema, true)).substr(0, 16);
  task.seed = seed_of(std::to_string(spec_seed) + ":" + identity_document(task, schema, false));
  return task;
}

uint64_t content_seed(const Task& task, const SettingsSchema& schema,
                      const std::vector<std::string>& leave_out, const std::string& purpose) {
  Params canonical = schema.canonical(task.params, false);
  for (const auto& name : leave_out) canonical.erase(name);
  return seed_of(document(task.kind, canonical, task.input_sha256) + "\n" + purpose);
}

std::string describe(const Task& task, const SettingsSchema& schema) {
  std::string text = task.kind;
  for (const auto& [name, value] : schema.canonical(task.params, true))
    text += " " + name + "=" + param_to_string(value);
  if (!task.input_sha256.empty()) text += " input=" + task.input_sha256.substr(0, 12);
  std::string unhashed;
  for (const auto& [name, value] : task.run_settings)
    unhashed += (unhashed.empty() ? "" : " ") + name + "=" + param_to_string(value);
  if (!unhashed.empty()) text += " [" + unhashed + "]";
  if (task.ranks > 1) text += " ranks=" + std::to_string(task.ranks);
  return text;
}

}  // namespace riskstep
