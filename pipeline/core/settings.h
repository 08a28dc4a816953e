#pragma once
// A job kind's settings, declared once (name, type, default, role, help) and used wherever a
// setting enters riskstep: spec keys, --set, command-line options, task ids and result records.
//
// Identity settings can change a result (model, data, epochs, ...): they, and only they, enter
// the task id and seed (pipeline/core/task.h). Run settings must not change a number (threads,
// bucket size, backend, stop-after, scratch paths): they are recorded with the result and may
// differ between a run and its resume.
#include <string>
#include <vector>

#include "pipeline/core/task.h"

namespace riskstep {

enum class SettingRole { identity, run };

struct Setting {
  std::string name;          // spec key; command-line option --name-with-dashes
  ParamValue default_value;  // its alternative is the setting's type
  SettingRole role = SettingRole::identity;
  std::string help;
  std::vector<std::string> choices;  // accepted values of a string setting; empty = any
};

class SettingsSchema {
 public:
  SettingsSchema& add(Setting setting);  // throws std::logic_error on a duplicate name
  const std::vector<Setting>& settings() const { return settings_; }
  const Setting* find(const std::string& name) const;
  std::vector<std::string> names() const;

  // `value` as the declared type (an integer given for a double setting becomes a double, a
  // number given for a string setting its text).
  // Throws std::invalid_argument "setting 'x': ..." for an unknown name (naming the closest
  // known one), a value of another type or a string outside the choices.
  ParamValue checked(const std::string& name, const ParamValue& value) const;

  struct Split {
    Params identity;  // enters the task id and seed
    Params run;       // recorded, never hashed
  };
  Split split(const Params& given) const;  // every value checked

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
