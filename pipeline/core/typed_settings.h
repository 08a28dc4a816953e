#pragma once
// Binds a job's settings struct to its SettingsSchema, so each setting is written down once:
//
//   struct MySettings { int epochs = 2; int threads = 0; };
//   const SettingsOf<MySettings>& my_settings() {
//     static const auto bound = SettingsOf<MySettings>()
//         .identity("epochs", &MySettings::epochs, "Epochs")
//         .run("threads", &MySettings::threads, "Intra-op threads (0 = default)");
//         // also .label(...) and .input(...) (roles: pipeline/core/settings.h), and
//         // .used_when("model", {"a", "b"}) after a setting only those models read
//     return bound;
//   }
//   MySettings s = my_settings().read(task);   // defaults from MySettings{}, then the task's
//
// Field types: bool, int, int64_t, double, std::string.
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "pipeline/core/settings.h"

namespace riskstep {

template <typename S>
class SettingsOf {
 public:
  template <typename T>
  SettingsOf& identity(std::string name, T S::*field, std::string help,
                       std::vector<std::string> choices = {}) {
    return bind(std::move(name), field, SettingRole::identity, std::move(help), std::move(choices));
  }
  template <typename T>
  SettingsOf& label(std::string name, T S::*field, std::string help,
                    std::vector<std::string> choices = {}) {
    return bind(std::move(name), field, SettingRole::label, std::move(help), std::move(choices));
  }
  template <typename T>
  SettingsOf& input(std::string name, T S::*field, std::string help,
                    std::vector<std::string> choices = {}) {
    return bind(std::move(name), field, SettingRole::input, std::move(help), std::move(choices));
  }
  template <typename T>
  SettingsOf& run(std::string name, T S::*field, std::string help,
                  std::vector<std::string> choices = {}) {
    return bind(std::move(name), field, SettingRole::run, std::move(help), std::move(choices));
  }
  // The setting declared last is read only when `setting` has one of `values` (Setting::used_by).
  SettingsOf& used_when(const std::string& setting, std::vector<std::string> values) {
    schema_.used_when(setting, std::move(values));
    return *this;
  }
  SettingsOf& used_when(std::function<bool(const Params& identity)> predicate) {
    schema_.used_when(std::move(predicate));
    return *this;
  }

  // Short names of the choices of the setting declared last (Setting::choice_labels).
  SettingsOf& choice_labels(std::map<std::string, std::string> labels) {
    schema_.choice_labels(std::move(labels));
    return *this;
  }

  const SettingsSchema& schema() const { return schema_; }

  // Defaults from S{}, overlaid with `params` (checked against the schema first).
  S read(const Params& params) const {
    S settings{};
    for (const auto& [name, value] : params) setter(name)(settings, schema_.checked(name, value));
    return settings;
  }
  S read(const Task& task) const {
    Params all = task.params;
    all.insert(task.run_settings.begin(), task.run_settings.end());
    return read(all);
  }

 private:
  using Setter = std::function<void(S&, const ParamValue&)>;

  template <typename T>
  SettingsOf& bind(std::string name, T S::*field, SettingRole role, std::string help,
                   std::vector<std::string> choices) {
    const S defaults{};
    Setting setting;
    setting.name = name;
    setting.default_value = as_param(defaults.*field);
    setting.role = role;
    setting.help = std::move(help);
    setting.choices = std::move(choices);
    schema_.add(std::move(setting));
    setters_.emplace_back(name, [field, name](S& settings, const ParamValue& value) {
      settings.*field = from_param<T>(name, value);
    });
    return *this;
  }

  const Setter& setter(const std::string& name) const {
    for (const auto& [known, set] : setters_)
      if (known == name) return set;
    throw std::logic_error("setting '" + name + "' has no field");  // schema_.checked ran first
  }

  template <typename T>
  static ParamValue as_param(const T& value) {
    if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, double> ||
                  std::is_same_v<T, std::string>)
      return ParamValue(value);
    else
      return ParamValue(static_cast<int64_t>(value));
  }

  template <typename T>
  static T from_param(const std::string& name, const ParamValue& value) {
    if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, double> ||
                  std::is_same_v<T, std::string>) {
      return std::get<T>(value);
    } else {
      const int64_t wide = std::get<int64_t>(value);
      if (wide < std::numeric_limits<T>::min() || wide > std::numeric_limits<T>::max())
        throw std::invalid_argument("setting '" + name + "': " + std::to_string(wide) +
                                    " is out of range");
      return static_cast<T>(wide);
    }
  }

  SettingsSchema schema_;
  std::vector<std::pair<std::string, Setter>> setters_;
};

}  // namespace riskstep
