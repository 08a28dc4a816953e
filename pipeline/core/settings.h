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

struct Setting {
  std::string name;          // spec key; command-line option --name-with-dashes
  ParamValue default_value;  // its alternative is the setting's type
  SettingRole role = SettingRole::identity;
  std::string help;
  std::vector<std::string> choices;  // accepted values of a string setting; empty = any
  // Whether a task with these identity settings (defaults filled in) reads this setting, e.g.
  // training settings by networks only: when not, the setting is no part of the task, so tuning
  // one model never changes the id of another. Empty: always read.
  std::function<bool(const Params& identity)> used_by;
  // A short name per choice for tables and figures ("garch" -> "GARCH(1,1)"), printed by
  // `riskstep describe`; a choice without one is shown as it is spelled.
  std::map<std::string, std::string> choice_labels;
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
  const std::vector<Setting>& settings() const { return settings_; }
  const Setting* find(const std::string& name) const;
  std::vector<std::string> names() const;

  // `value` as the declared type (an integer given for a double setting becomes a double, a
  // number given for a string setting its text).
  // Throws std::invalid_argument "setting 'x': ..." for an unknown name (naming the closest
  // known one), a value of another type or a string outside the choices.
  ParamValue checked(const std::string& name, const ParamValue& value) const;

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
  std::vector<Setting> settings_;
};

std::string type_name(const ParamValue& value);  // "an integer", "a number", ...

// The candidate closest to `name` by edit distance, when it is close enough to be a typo of it
// (at most a third of the letters differ); "" otherwise.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace riskstep
