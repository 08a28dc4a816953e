#include "app/setting_options.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace riskstep {

std::string option_name(const std::string& setting) {
  std::string name = "--" + setting;
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

namespace {

std::string help_of(const Setting& setting) {
  // A path on the command line is the current directory's, as the shell has it: nothing to add.
  const std::string rules = setting.path ? "" : rules_text(setting);
  return setting.help + (rules.empty() ? "" : " (" + rules + ")") +
         (setting.role == SettingRole::run ? " [run setting]" : "");
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
  if (!setting.choices.empty() && !setting.list) option->check(CLI::IsMember(setting.choices));
  return option;
}

// Returns {--NAME, --no-NAME}.
std::pair<CLI::Option*, CLI::Option*> flag_options(CLI::App& command, const Setting& setting,
                                                   const std::shared_ptr<ParamValue>& value) {
  // Two plain flags rather than CLI11's "--x,!--no-x", whose help reads "--x,--no-x{false}".
  const std::string name = option_name(setting.name), negated = "--no-" + name.substr(2);
  CLI::Option* on = command.add_flag_function(
      name, [value](int64_t) { *value = true; },
      help_of(setting) + " (default: " + param_to_string(setting.default_value) + "; " + negated +
          " turns it off)");
  CLI::Option* off = command.add_flag_function(
      negated, [value](int64_t) { *value = false; }, "Turns " + name + " off");
  return {on, off};
}

}  // namespace

SettingOptions::SettingOptions(CLI::App& command, const SettingsSchema& settings,
                               const std::set<std::string>& skip)
    : command_(command), settings_(settings) {
  for (const Setting& setting : settings.settings()) {
    if (skip.count(setting.name)) continue;
    Bound bound{setting.name, nullptr, nullptr,
                std::make_shared<ParamValue>(setting.default_value)};
    switch (setting.default_value.index()) {
      case 0:
        std::tie(bound.option, bound.negated) = flag_options(command, setting, bound.value);
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
  for (const Bound& bound : bound_) {
    const bool on = bound.option->count() > 0, off = bound.negated && bound.negated->count() > 0;
    if (on && off)  // CLI11 would apply them in declaration order, not the user's
      throw CLI::ValidationError(bound.option->get_name() + " and " + bound.negated->get_name(),
                                 "give one of them");
    if (on || off) params[bound.name] = *bound.value;
  }
  return params;
}

void SettingOptions::add_axis(const std::string& name, const std::string& option,
                              const std::string& default_text, const std::string& help) {
  const Setting* setting = settings_.find(name);
  if (setting == nullptr || setting->list)
    throw std::logic_error("add_axis: " + name + " is no setting of one value");
  std::string values;
  for (const std::string& choice : setting->choices)
    values += (values.empty() ? " of " : ", ") + choice;
  const std::string bounds = bounds_text(*setting);
  if (!bounds.empty()) values += ", each " + bounds;
  auto text = std::make_shared<std::string>(default_text);
  command_.add_option(option, *text, help + ": a list" + values)->capture_default_str();
  axes_.push_back({name, option, text});
}

std::vector<ParamValue> SettingOptions::axis(const std::string& name) const {
  for (const Axis& axis : axes_)
    if (axis.name == name) {
      try {
        return settings_.checked_items(name, *axis.text);
      } catch (const std::invalid_argument& error) {
        throw std::invalid_argument(axis.option + ": " + error.what());
      }
    }
  throw std::logic_error("axis: no option for " + name);
}

}  // namespace riskstep
