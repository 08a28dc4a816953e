#include "pipeline/core/settings.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "pipeline/core/setting_list.h"

namespace riskstep {

namespace {

bool hashed(SettingRole role) {
  return role == SettingRole::identity || role == SettingRole::label;
}

bool is_number(const ParamValue& value) {
  return std::holds_alternative<int64_t>(value) || std::holds_alternative<double>(value);
}

double as_double(const ParamValue& value) {
  return std::holds_alternative<double>(value) ? std::get<double>(value)
                                               : static_cast<double>(std::get<int64_t>(value));
}

// A value in a message: text quoted, numbers as they are.
std::string shown(const ParamValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return "'" + *text + "'";
  if (const auto* number = std::get_if<double>(&value); number && !std::isfinite(*number))
    return std::isnan(*number) ? "NaN" : *number > 0 ? "inf" : "-inf";  // JSON's text is null
  return param_to_string(value);
}

[[noreturn]] void refuse(const Setting& setting, const std::string& message) {
  throw std::invalid_argument("setting '" + setting.name + "': " + message);
}

// `value` as a value of `model`'s type: an integer for a number is that number, a number for a
// string its text.
ParamValue typed(const Setting& setting, const ParamValue& model, const ParamValue& value) {
  if (std::holds_alternative<double>(model) && std::holds_alternative<int64_t>(value))
    return static_cast<double>(std::get<int64_t>(value));
  if (std::holds_alternative<std::string>(model) && is_number(value))
    return ParamValue(param_to_string(value));
  if (model.index() != value.index())
    refuse(setting, "expected " + type_name(model) + ", got " + param_to_string(value));
  return value;
}

std::string items_name(const ParamValue& model) {
  return std::holds_alternative<int64_t>(model)  ? "integers"
         : std::holds_alternative<double>(model) ? "numbers"
                                                 : "strings";
}

// One item of a list's text as a value of `model`'s type.
ParamValue parsed_item(const Setting& setting, const ParamValue& model, const std::string& item) {
  std::optional<ParamValue> value;
  if (std::holds_alternative<int64_t>(model)) {
    if (const auto integer = parse_integer(item)) value = *integer;
  } else if (std::holds_alternative<double>(model)) {
    if (const auto number = parse_number(item)) value = *number;
  } else if (std::holds_alternative<bool>(model)) {
    if (item == "true" || item == "false") value = item == "true";
  } else {
    value = item;
  }
  if (!value) refuse(setting, "item '" + item + "': expected " + type_name(model));
  return *value;
}

bool within(const Setting& setting, double value) {
  // Written so that a NaN is within no bound.
  if (setting.min &&
      !(setting.min->inclusive ? value >= setting.min->value : value > setting.min->value))
    return false;
  return !setting.max ||
         (setting.max->inclusive ? value <= setting.max->value : value < setting.max->value);
}

// What `value` (of the setting's type, or its items') was expected to be; "" when it is allowed.
std::string expected_of(const Setting& setting, const ParamValue& value) {
  if (const auto* text = std::get_if<std::string>(&value); text && !setting.choices.empty()) {
    const auto& choices = setting.choices;
    if (std::find(choices.begin(), choices.end(), *text) == choices.end()) {
      std::string list;
      for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + choice;
      return "one of " + list;
    }
  }
  if (is_number(value) && !within(setting, as_double(value))) return bounds_text(setting);
  return "";
}

std::string hint(const Setting& setting, const ParamValue& value) {
  const auto* text = std::get_if<std::string>(&value);
  return text ? did_you_mean(*text, setting.choices) : "";
}

// The items of list `text`, each a value of `model`'s type (integers' "a-b" ranges expanded);
// each checked when `check` (a default may lie outside the bounds).
std::vector<ParamValue> list_items(const Setting& setting, const ParamValue& model,
                                   const std::string& text, bool check) {
  std::vector<ParamValue> items;
  try {
    for (const std::string& item : split_list(text)) {
      const auto range =
          std::holds_alternative<int64_t>(model) ? integer_range(item) : std::nullopt;
      if (range)
        items.insert(items.end(), range->begin(), range->end());
      else
        items.push_back(parsed_item(setting, model, item));
    }
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    if (message.rfind("setting '", 0) == 0) throw;
    refuse(setting, message);
  }
  for (const ParamValue& item : items)
    if (const std::string expected = expected_of(setting, item); check && !expected.empty())
      refuse(setting, "item " + shown(item) + ": expected " + expected + hint(setting, item));
  return items;
}

void refuse_repeats(const Setting& setting, const std::vector<ParamValue>& items) {
  for (size_t i = 0; i < items.size(); ++i)
    if (std::find(items.begin(), items.begin() + i, items[i]) != items.begin() + i)
      refuse(setting, "item " + shown(items[i]) + " is listed twice");
}

ParamValue checked_list(const Setting& setting, const ParamValue& value) {
  const ListRule& rule = *setting.list;
  if (!std::holds_alternative<std::string>(value) && !is_number(value))
    refuse(setting,
           "expected a list of " + items_name(rule.item) + ", got " + param_to_string(value));
  const std::vector<ParamValue> items =
      list_items(setting, rule.item, param_to_string(value), true);
  if (rule.distinct) refuse_repeats(setting, items);
  if (rule.non_empty && items.empty()) refuse(setting, "expected at least one item");
  std::vector<std::string> texts;
  for (const ParamValue& item : items) texts.push_back(param_to_string(item));
  return join_list(texts);
}

}  // namespace

SettingsSchema& SettingsSchema::add(Setting setting) {
  if (find(setting.name) != nullptr)
    throw std::logic_error("setting '" + setting.name + "' declared twice");
  settings_.push_back(std::move(setting));
  return *this;
}

Setting& SettingsSchema::last(const char* modifier) {
  if (settings_.empty())
    throw std::logic_error(std::string(modifier) + ": no setting declared yet");
  return settings_.back();
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
  last("used_when").used_by = std::move(predicate);
  return *this;
}

SettingsSchema& SettingsSchema::choice_labels(std::map<std::string, std::string> labels) {
  Setting& setting = last("choice_labels");
  for (const auto& [choice, label] : labels)
    if (std::find(setting.choices.begin(), setting.choices.end(), choice) == setting.choices.end())
      throw std::logic_error("choice_labels: '" + choice + "' is no choice of " + setting.name);
  setting.choice_labels = std::move(labels);
  return *this;
}

SettingsSchema& SettingsSchema::list(ParamValue item) {
  Setting& setting = last("list");
  if (std::holds_alternative<bool>(item) ||
      !std::holds_alternative<std::string>(setting.default_value))
    throw std::logic_error("list: " + setting.name +
                           " needs items of integers, numbers or strings and a text default");
  setting.list = ListRule{std::move(item)};
  try {
    list_items(setting, setting.list->item, std::get<std::string>(setting.default_value), false);
  } catch (const std::invalid_argument& error) {
    throw std::logic_error(std::string("list: the default of ") + error.what());
  }
  return *this;
}

SettingsSchema& SettingsSchema::distinct() {
  Setting& setting = last("distinct");
  if (!setting.list) throw std::logic_error("distinct: " + setting.name + " is no list");
  setting.list->distinct = true;
  return *this;
}

SettingsSchema& SettingsSchema::non_empty() {
  Setting& setting = last("non_empty");
  if (!setting.list) throw std::logic_error("non_empty: " + setting.name + " is no list");
  setting.list->non_empty = true;
  return *this;
}

Setting& SettingsSchema::last_number(const char* modifier) {
  Setting& setting = last(modifier);
  if (!is_number(setting.list ? setting.list->item : setting.default_value))
    throw std::logic_error(std::string(modifier) + ": " + setting.name + " holds no numbers");
  return setting;
}

SettingsSchema& SettingsSchema::min(Bound bound) {
  last_number("min").min = bound;
  return *this;
}

SettingsSchema& SettingsSchema::max(Bound bound) {
  last_number("max").max = bound;
  return *this;
}

SettingsSchema& SettingsSchema::path(std::vector<std::string> words) {
  Setting& setting = last("path");
  if (setting.list || !std::holds_alternative<std::string>(setting.default_value))
    throw std::logic_error("path: " + setting.name + " is no string setting");
  setting.path = true;
  setting.path_words = std::move(words);
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

std::string bounds_text(const Setting& setting) {
  const auto number = [](const Bound& bound) { return canonical_text(bound.value); };
  if (setting.min && setting.max && setting.min->inclusive && setting.max->inclusive)
    return number(*setting.min) + " to " + number(*setting.max);
  std::string text;
  if (setting.min)
    text = (setting.min->inclusive ? "at least " : "more than ") + number(*setting.min);
  if (setting.max)
    text += std::string(text.empty() ? "" : " and ") +
            (setting.max->inclusive ? "at most " : "less than ") + number(*setting.max);
  return text;
}

std::string rules_text(const Setting& setting) {
  const std::string bounds = bounds_text(setting);
  if (setting.list) {
    std::string text = "a list of " + items_name(setting.list->item);
    if (!bounds.empty()) text += ", each " + bounds;
    if (setting.list->distinct) text += ", distinct";
    if (setting.list->non_empty) text += ", not empty";
    return text;
  }
  if (setting.path) {
    std::string text = "a path";
    for (const std::string& word : setting.path_words) text += ", or " + word;
    return text;
  }
  return bounds;
}

const Setting& SettingsSchema::known(const std::string& name) const {
  const Setting* setting = find(name);
  if (setting == nullptr)
    throw std::invalid_argument("setting '" + name + "': unknown" + did_you_mean(name, names()));
  return *setting;
}

ParamValue SettingsSchema::checked(const std::string& name, const ParamValue& value) const {
  const Setting& setting = known(name);
  if (setting.list) return checked_list(setting, value);
  const ParamValue given = typed(setting, setting.default_value, value);
  if (const std::string expected = expected_of(setting, given); !expected.empty())
    refuse(setting, "expected " + expected + ", got " + shown(given) + hint(setting, given));
  return given;
}

std::vector<ParamValue> SettingsSchema::checked_items(const std::string& name,
                                                      const std::string& text) const {
  const Setting& setting = known(name);
  if (setting.list) throw std::logic_error("checked_items: " + name + " is a list setting");
  const std::vector<ParamValue> items = list_items(setting, setting.default_value, text, true);
  refuse_repeats(setting, items);
  if (items.empty()) refuse(setting, "expected at least one value, got '" + text + "'");
  return items;
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
