#include "jobs/cli/setting_options.h"

#include <algorithm>

namespace riskstep {

std::string option_name(const std::string& setting) {
  std::string name = "--" + setting;
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

namespace {

std::string help_of(const Setting& setting) {
  return setting.help + (setting.role == SettingRole::run ? " [run setting]" : "");
}

template <typename T>
CLI::Option* typed_option(CLI::App& command, const Setting& setting,
                          const std::shared_ptr<ParamValue>& value) {
  auto storage = std::make_shared<T>(std::get<T>(setting.default_value));
  CLI::Option* option = command.add_option_function<T>(
      option_name(setting.name),
      [storage, value](const T& given) {
        *storage = given;
        *value = given;
      },
      help_of(setting));
  option->default_str(param_to_string(setting.default_value));
  if (!setting.choices.empty()) option->check(CLI::IsMember(setting.choices));
  return option;
}

CLI::Option* flag_option(CLI::App& command, const Setting& setting,
                         const std::shared_ptr<ParamValue>& value) {
  const std::string name = option_name(setting.name);
  return command.add_flag_function(
      name + ",!--no-" + name.substr(2), [value](int64_t count) { *value = count > 0; },
      help_of(setting) + " (default: " + param_to_string(setting.default_value) + ")");
}

}  // namespace

SettingOptions::SettingOptions(CLI::App& command, const SettingsSchema& settings,
                               const std::set<std::string>& skip) {
  for (const Setting& setting : settings.settings()) {
    if (skip.count(setting.name)) continue;
    Bound bound{setting.name, nullptr, std::make_shared<ParamValue>(setting.default_value)};
    switch (setting.default_value.index()) {
      case 0:
        bound.option = flag_option(command, setting, bound.value);
        break;
      case 1:
        bound.option = typed_option<int64_t>(command, setting, bound.value);
        break;
      case 2:
        bound.option = typed_option<double>(command, setting, bound.value);
        break;
      default:
        bound.option = typed_option<std::string>(command, setting, bound.value);
    }
    bound_.push_back(std::move(bound));
  }
}

Params SettingOptions::given() const {
  Params params;
  for (const Bound& bound : bound_)
    if (bound.option->count() > 0) params[bound.name] = *bound.value;
  return params;
}

}  // namespace riskstep
