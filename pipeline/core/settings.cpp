#include "pipeline/core/settings.h"

#include <algorithm>
#include <stdexcept>

namespace riskstep {

namespace {
bool hashed(SettingRole role) {
  return role == SettingRole::identity || role == SettingRole::label;
}
}  // namespace

SettingsSchema& SettingsSchema::add(Setting setting) {
  if (find(setting.name) != nullptr)
    throw std::logic_error("setting '" + setting.name + "' declared twice");
  settings_.push_back(std::move(setting));
  return *this;
}

SettingsSchema& SettingsSchema::used_when(const std::string& setting,
                                          std::vector<std::string> values) {
  const Setting* selector = find(setting);
  if (settings_.empty() || selector == nullptr || setting == settings_.back().name ||
      !hashed(selector->role))
    throw std::logic_error("used_when('" + setting + "'): declare that identity setting first");
  return used_when([setting, values = std::move(values)](const Params& identity) {
    const std::string value = canonical_text(identity.at(setting));
    return std::find(values.begin(), values.end(), value) != values.end();
  });
}

SettingsSchema& SettingsSchema::used_when(std::function<bool(const Params& identity)> predicate) {
  if (settings_.empty()) throw std::logic_error("used_when: no setting declared yet");
  settings_.back().used_by = std::move(predicate);
  return *this;
}

SettingsSchema& SettingsSchema::choice_labels(std::map<std::string, std::string> labels) {
  if (settings_.empty()) throw std::logic_error("choice_labels: no setting declared yet");
  Setting& setting = settings_.back();
  for (const auto& [choice, label] : labels)
    if (std::find(setting.choices.begin(), setting.choices.end(), choice) == setting.choices.end())
      throw std::logic_error("choice_labels: '" + choice + "' is no choice of " + setting.name);
  setting.choice_labels = std::move(labels);
  return *this;
}

const Setting* SettingsSchema::find(const std::string& name) const {
  for (const Setting& setting : settings_)
    if (setting.name == name) return &setting;
  return nullptr;
}

std::vector<std::string> SettingsSchema::names() const {
  std::vector<std::string> names;
  for (const Setting& setting : settings_) names.push_back(setting.name);
  return names;
}

std::string type_name(const ParamValue& value) {
  switch (value.index()) {
    case 0:
      return "true or false";
    case 1:
      return "an integer";
    case 2:
      return "a number";
    default:
      return "a string";
  }
}

ParamValue SettingsSchema::checked(const std::string& name, const ParamValue& value) const {
  const Setting* setting = find(name);
  if (setting == nullptr)
    throw std::invalid_argument("setting '" + name + "': unknown" + did_you_mean(name, names()));
  const ParamValue& model = setting->default_value;
  if (std::holds_alternative<double>(model) && std::holds_alternative<int64_t>(value))
    return static_cast<double>(std::get<int64_t>(value));
  // A number for a string setting is its text: `levels = 0.01` means the list "0.01".
  if (std::holds_alternative<std::string>(model) &&
      (std::holds_alternative<double>(value) || std::holds_alternative<int64_t>(value)))
    return checked(name, ParamValue(param_to_string(value)));
  if (model.index() != value.index())
    throw std::invalid_argument("setting '" + name + "': expected " + type_name(model) + ", got " +
                                param_to_string(value));
  if (const auto* text = std::get_if<std::string>(&value); text && !setting->choices.empty()) {
    const auto& choices = setting->choices;
    if (std::find(choices.begin(), choices.end(), *text) == choices.end()) {
      std::string list;
      for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + choice;
      throw std::invalid_argument("setting '" + name + "': expected one of " + list + ", got '" +
                                  *text + "'" + did_you_mean(*text, choices));
    }
  }
  return value;
}

SettingsSchema::Split SettingsSchema::split(const Params& given) const {
  Split split;
  for (const auto& [name, value] : given) {
    const ParamValue normalised = checked(name, value);
    (hashed(find(name)->role) ? split.identity : split.run)[name] = normalised;
  }
  for (const Setting& setting : settings_)
    if (hashed(setting.role)) split.identity.emplace(setting.name, setting.default_value);
  // A setting some models never read is no part of their tasks: decided on all settings first,
  // then left out.
  std::vector<std::string> unread;
  for (const Setting& setting : settings_)
    if (setting.used_by && hashed(setting.role) && !setting.used_by(split.identity))
      unread.push_back(setting.name);
  for (const auto& name : unread) split.identity.erase(name);
  return split;
}

Params SettingsSchema::canonical(const Params& identity, bool with_labels) const {
  Params kept;
  for (const auto& [name, value] : identity) {
    const Setting* setting = find(name);
    if (setting == nullptr) throw std::logic_error("setting '" + name + "' is not declared");
    if (setting->role == SettingRole::label && !with_labels) continue;
    if (canonical_text(value) != canonical_text(setting->default_value)) kept[name] = value;
  }
  return kept;
}

namespace {
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  // Beyond a third of the letters it is no longer a typo of the candidate.
  size_t best_distance = std::max<size_t>(1, name.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  const std::string best = closest_name(name, candidates);
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

}  // namespace riskstep
