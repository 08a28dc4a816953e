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
// Field types: bool, int, int64_t, double, std::string, and lists of them: std::vector of int,
// int64_t, double or std::string (given as "0.01,0.05", an array in a spec, "0-9" among
// integers: pipeline/core/setting_list.h). What a value may be is declared after the setting,
// and checked wherever a value is given (spec, --set, option), before any task runs:
//   .identity("window", &S::window, "Estimation window").between(2, 5000)
//   .identity("levels", &S::levels, "Tail probabilities").above(0).below(0.5).distinct()
//   .input("data_dir", &S::data_dir, "Price files").path()   // relative to the spec file
// (also .at_least(v), .at_most(v), .non_empty(), .path({"synthetic"}) for words no file).
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "pipeline/core/setting_list.h"
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

  // Bounds of the number setting (or number list's items) declared last: inclusive, or (above,
  // below) not.
  SettingsOf& between(double min, double max) { return at_least(min).at_most(max); }
  SettingsOf& at_least(double min) {
    schema_.min({min, true});
    return *this;
  }
  SettingsOf& above(double min) {
    schema_.min({min, false});
    return *this;
  }
  SettingsOf& at_most(double max) {
    schema_.max({max, true});
    return *this;
  }
  SettingsOf& below(double max) {
    schema_.max({max, false});
    return *this;
  }
  // The list declared last: no item twice; at least one item.
  SettingsOf& distinct() {
    schema_.distinct();
    return *this;
  }
  SettingsOf& non_empty() {
    schema_.non_empty();
    return *this;
  }
  // The string setting declared last names a file or folder (Setting::path); `words` name none.
  SettingsOf& path(std::vector<std::string> words = {}) {
    schema_.path(std::move(words));
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
    if constexpr (is_list<T>::value) schema_.list(as_param(typename T::value_type{}));
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
  struct is_list : std::false_type {};
  template <typename T>
  struct is_list<std::vector<T>> : std::true_type {};

  template <typename T>
  static ParamValue as_param(const T& value) {
    if constexpr (is_list<T>::value) {
      std::vector<std::string> items;
      for (const auto& item : value) items.push_back(param_to_string(as_param(item)));
      return ParamValue(join_list(items));
    } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, double> ||
                         std::is_same_v<T, std::string>) {
      return ParamValue(value);
    } else {
      return ParamValue(static_cast<int64_t>(value));
    }
  }

  // `value` as checked (SettingsSchema::checked): a list's is its canonical text.
  template <typename T>
  static T from_param(const std::string& name, const ParamValue& value) {
    if constexpr (is_list<T>::value) {
      using Item = typename T::value_type;
      T items;
      for (const std::string& item : split_list(std::get<std::string>(value))) {
        if constexpr (std::is_same_v<Item, std::string>)
          items.push_back(item);
        else if constexpr (std::is_same_v<Item, double>)
          items.push_back(parse_number(item).value());
        else
          items.push_back(from_param<Item>(name, ParamValue(parse_integer(item).value())));
      }
      return items;
    } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, double> ||
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
