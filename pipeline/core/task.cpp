#include "pipeline/core/task.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

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

std::string canonical_text(const ParamValue& value) {
  if (const double* number = std::get_if<double>(&value)) {
    // Whole numbers below 2^53 are exact in both types.
    if (std::isfinite(*number) && std::nearbyint(*number) == *number && std::fabs(*number) < 9e15)
      return std::to_string(static_cast<int64_t>(*number));
  }
  return param_to_string(value);
}

}  // namespace riskstep
