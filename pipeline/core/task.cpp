#include "pipeline/core/task.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "pipeline/core/sha256.h"

namespace riskstep {

namespace {
nlohmann::json to_json(const Params& params) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& entry : params)  // (clang 14 cannot capture a structured binding)
    std::visit([&](const auto& v) { object[entry.first] = v; }, entry.second);
  return object;
}
}  // namespace

std::string canonical_json(const std::string& kind, const Params& params) {
  nlohmann::json doc = {{"kind", kind}, {"params", to_json(params)}};
  return doc.dump();  // nlohmann::json objects keep keys sorted: canonical
}

std::string task_id(const std::string& kind, const Params& params) {
  return sha256_hex(canonical_json(kind, params)).substr(0, 16);
}

uint64_t task_seed(uint64_t spec_seed, const std::string& id) {
  const std::string digest = sha256_hex(std::to_string(spec_seed) + ":" + id);
  // 15 hex digits keep the seed positive as int64 too (LibTorch takes signed seeds).
  return std::stoull(digest.substr(0, 15), nullptr, 16);
}

Task make_task(std::string kind, Params identity, uint64_t spec_seed, int ranks,
               Params run_settings) {
  Task task;
  task.id = task_id(kind, identity);
  task.seed = task_seed(spec_seed, task.id);
  task.kind = std::move(kind);
  task.params = std::move(identity);
  task.run_settings = std::move(run_settings);
  task.ranks = ranks;
  return task;
}

std::string params_json(const Params& params) {
  return to_json(params).dump();
}

Params params_from_json(const std::string& json_object) {
  const auto doc = nlohmann::json::parse(json_object);
  if (!doc.is_object()) throw std::runtime_error("settings: expected a JSON object");
  Params params;
  for (const auto& [name, value] : doc.items()) {
    if (value.is_boolean())
      params[name] = value.get<bool>();
    else if (value.is_number_integer())
      params[name] = value.get<int64_t>();
    else if (value.is_number_float())
      params[name] = value.get<double>();
    else if (value.is_string())
      params[name] = value.get<std::string>();
    else
      throw std::runtime_error("setting '" + name + "' has an unsupported JSON type");
  }
  return params;
}

std::string param_to_string(const ParamValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) return v;
        if constexpr (std::is_same_v<V, bool>) return v ? "true" : "false";
        if constexpr (std::is_same_v<V, int64_t>) return std::to_string(v);
        if constexpr (std::is_same_v<V, double>) {
          nlohmann::json j = v;  // shortest round-trip formatting
          return j.dump();
        }
      },
      value);
}

std::string describe(const Task& task) {
  std::string text = task.kind;
  for (const auto& [name, value] : task.params) text += " " + name + "=" + param_to_string(value);
  std::string run;
  for (const auto& [name, value] : task.run_settings)
    run += (run.empty() ? "" : " ") + name + "=" + param_to_string(value);
  if (!run.empty()) text += " [" + run + "]";
  if (task.ranks > 1) text += " ranks=" + std::to_string(task.ranks);
  return text;
}

}  // namespace riskstep
