#pragma once
// A job kind's settings, declared once (name, type, default, role, help) and used wherever a
// setting enters riskstep: spec keys, --set, command-line options, task ids and result records.
//
// A task's identity is its content (pipeline/core/task_identity.h): the identity and label
// settings it uses, leaving out those at their default, and the content of its input data, never
// where that data lies. Run settings must not change a number (threads, bucket size, backend,
// stop-after, scratch paths): they are recorded with the result and may differ between a run and
// its resume.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/task.h"

namespace riskstep {

enum class SettingRole {
  identity,  // can change a result (model, epochs, ...): enters the task id and seed
  label,     // names what a task runs on (an index name) without changing a number: the id only
  input,     // locates input data (a path, a column): never hashed; the data's content is
             // (JobKind::input_digest), so the same bytes anywhere give the same task
  run,       // how, not what (threads, device, ...): recorded, never hashed
};

// One side of a number setting's range of values (or of a number list's items).
struct Bound {
  double value = 0;
  bool inclusive = true;  // false: the value itself is outside ("more than 0")
};

// A list setting (pipeline/core/setting_list.h): its value is the list's canonical text.
struct ListRule {
  ParamValue item;        // its alternative is the items' type: int64_t, double or std::string
  bool distinct = false;  // an item may not repeat
  bool non_empty = false;
};

struct Setting {
  std::string name;          // spec key; command-line option --name-with-dashes
  ParamValue default_value;  // its alternative is the setting's type (a list's: its text)
  SettingRole role = SettingRole::identity;
  std::string help;
  std::vector<std::string> choices;  // accepted values of a string setting (or list's items)
  // Whether a task with these identity settings (defaults filled in) reads this setting, e.g.
  // training settings by networks only: when not, the setting is no part of the task, so tuning
  // one model never changes the id of another. Empty: always read.
  std::function<bool(const Params& identity)> used_by;
  // A short name per choice for tables and figures ("garch" -> "GARCH(1,1)"), printed by
  // `riskstep describe`; a choice without one is shown as it is spelled.
  std::map<std::string, std::string> choice_labels;
  std::optional<ListRule> list{};  // set: a list setting
  // The values a number setting (or a number list's items) may take. The default may lie outside
  // as a sentinel (seed -1: no replicate); a value given may not.
  std::optional<Bound> min{}, max{};
  // A file or folder: a relative value in a spec file is resolved against the spec file's folder
  // (pipeline/spec/sweep_spec.h), never taken relative to wherever riskstep runs.
  bool path = false;
  std::vector<std::string> path_words{};  // values of a path setting that name no file: "synthetic"
};

class SettingsSchema {
 public:
  SettingsSchema& add(Setting setting);  // throws std::logic_error on a duplicate name
  // Restricts the last added setting to tasks whose `setting` (an identity or label setting
  // declared before it) is one of `values`, or to those `predicate` accepts.
  SettingsSchema& used_when(const std::string& setting, std::vector<std::string> values);
  SettingsSchema& used_when(std::function<bool(const Params& identity)> predicate);
  // Labels of the last added setting's choices; throws std::logic_error for a label of no choice.
  SettingsSchema& choice_labels(std::map<std::string, std::string> labels);
  // Makes the last added setting a list of items of `item`'s type (its default: a list's text);
  // then distinct() or non_empty() restrict it. Throw std::logic_error on a setting of another
  // kind or a default that is no such list.
  SettingsSchema& list(ParamValue item);
  SettingsSchema& distinct();
  SettingsSchema& non_empty();
  // A bound of the last added number setting (or number list); throws std::logic_error for
  // another type.
  SettingsSchema& min(Bound bound);
  SettingsSchema& max(Bound bound);
  // Makes the last added string setting a path (Setting::path); throws std::logic_error for
  // another type.
  SettingsSchema& path(std::vector<std::string> words = {});
  const std::vector<Setting>& settings() const { return settings_; }
  const Setting* find(const std::string& name) const;
  std::vector<std::string> names() const;

  // `value` as the declared type (an integer given for a double setting becomes a double, a
  // number given for a string setting its text, a list its canonical text: setting_list.h).
  // Throws std::invalid_argument with one line "setting 'x': ..." for an unknown name (naming
  // the closest known one), a value of another type, a string outside the choices, a number
  // outside the bounds ("setting 'window': expected 2 to 5000, got 1"), or a list item that is
  // any of these, repeats in a distinct list, or is missing from a non-empty list ("setting
  // 'levels': item 0.7: expected more than 0 and less than 0.5").
  ParamValue checked(const std::string& name, const ParamValue& value) const;

  // The values of the (not list) setting `name` that list `text` names, each checked: a grid
  // axis given as text (riskstep backtest --models hs,garch --seeds 0-9). Throws as checked does,
  // also for a value listed twice or no value at all.
  std::vector<ParamValue> checked_items(const std::string& name, const std::string& text) const;

  struct Split {
    Params identity;  // identity and label settings the task uses, every default filled in
    Params run;       // input and run settings as given: recorded, never hashed
  };
  Split split(const Params& given) const;  // every value checked

  // What a task id hashes of `identity` (a Split::identity): the settings not at their default,
  // without labels unless `with_labels`. So writing a default out, or declaring a new setting
  // later, changes no id.
  Params canonical(const Params& identity, bool with_labels) const;

 private:
  Setting& last(const char* modifier);         // throws std::logic_error when there is none
  Setting& last_number(const char* modifier);  // ... or it holds no numbers
  const Setting& known(const std::string& name) const;  // throws "setting 'x': unknown ..."

  std::vector<Setting> settings_;
};

std::string type_name(const ParamValue& value);  // "an integer", "a number", ...

// The bounds of a setting (or of a list's items) for messages and help: "2 to 5000", "more than 0
// and less than 0.5", "at least 1"; "" when unbounded.
std::string bounds_text(const Setting& setting);

// What a setting's value may be beyond its type and choices, for help and `riskstep describe`:
// its bounds, "a list of numbers, each more than 0 and less than 0.5, distinct, not empty", "a
// path, or synthetic"; "" when nothing more.
std::string rules_text(const Setting& setting);

// The candidate closest to `name` by edit distance, when it is close enough to be a typo of it
// (at most a third of the letters differ); "" otherwise.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace riskstep
