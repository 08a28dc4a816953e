#include "pipeline/task.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "pipeline/sha256.h"

namespace riskstep {

std::string canonical_json(const std::string& kind, const Params& params) {
  nlohmann::json params_json = nlohmann::json::object();
  for (const auto& [name, value] : params)
    std::visit([&](const auto& v) { params_json[name] = v; }, value);
  nlohmann::json doc = {{"kind", kind}, {"params", params_json}};
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

Task make_task(std::string kind, Params params, uint64_t spec_seed, int ranks) {
  Task task;
  task.id = task_id(kind, params);
  task.seed = task_seed(spec_seed, task.id);
  task.kind = std::move(kind);
  task.params = std::move(params);
  task.ranks = ranks;
  return task;
}

const ParamValue& param(const Task& task, const std::string& name) {
  auto it = task.params.find(name);
  if (it == task.params.end())
    throw std::invalid_argument("task " + task.id + " (" + task.kind + "): missing parameter '" +
                                name + "'");
  return it->second;
}

namespace {
[[noreturn]] void wrong_type(const Task& task, const std::string& name, const char* expected) {
  throw std::invalid_argument("task " + task.id + " (" + task.kind + "): parameter '" + name +
                              "' = " + param_to_string(param(task, name)) + ", expected " +
                              expected);
}
}  // namespace

std::string param_string(const Task& task, const std::string& name) {
  const auto& value = param(task, name);
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  wrong_type(task, name, "a string");
}

double param_double(const Task& task, const std::string& name) {
  const auto& value = param(task, name);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  wrong_type(task, name, "a number");
}

int64_t param_int(const Task& task, const std::string& name) {
  const auto& value = param(task, name);
  if (const auto* i = std::get_if<int64_t>(&value)) return *i;
  wrong_type(task, name, "an integer");
}

bool param_bool(const Task& task, const std::string& name) {
  const auto& value = param(task, name);
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  wrong_type(task, name, "true or false");
}

std::string param_string_or(const Task& task, const std::string& name,
                            const std::string& fallback) {
  return task.params.count(name) ? param_string(task, name) : fallback;
}
double param_double_or(const Task& task, const std::string& name, double fallback) {
  return task.params.count(name) ? param_double(task, name) : fallback;
}
int64_t param_int_or(const Task& task, const std::string& name, int64_t fallback) {
  return task.params.count(name) ? param_int(task, name) : fallback;
}
bool param_bool_or(const Task& task, const std::string& name, bool fallback) {
  return task.params.count(name) ? param_bool(task, name) : fallback;
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

}  // namespace riskstep
