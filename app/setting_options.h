#pragma once
// Command-line options made from a job kind's settings: --name-with-dashes per setting (bool
// settings: --name and --no-name; a list setting takes its text, --levels 0.01,0.05), typed as
// the settings declare, their help naming the bounds. Only the options the user gives become
// settings, so `riskstep train --epochs 2` makes the very task a spec with `epochs = 2` makes;
// what they may be (bounds, choices, list items) is checked where a spec's settings are
// (bind_settings), with the same one-line errors. An axis option lists values of one setting
// for a grid axis (riskstep backtest --models hs,garch --seeds 0-9).
#include <CLI/CLI.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "pipeline/core/settings.h"

namespace riskstep {

class SettingOptions {
 public:
  // Adds the options to `command`, except the settings named in `skip`.
  SettingOptions(CLI::App& command, const SettingsSchema& settings,
                 const std::set<std::string>& skip = {});
  Params given() const;  // after parsing: the settings the user gave, typed

  // Adds `option` taking a list (pipeline/core/setting_list.h) of values of setting `name` (one
  // left out of the options above), `default_text` when not given.
  void add_axis(const std::string& name, const std::string& option, const std::string& default_text,
                const std::string& help);
  // After parsing: the values of `name`'s axis option, each checked; throws std::invalid_argument
  // "--models: setting 'model': item 'x': expected one of ...".
  std::vector<ParamValue> axis(const std::string& name) const;

 private:
  struct Bound {
    std::string name;
    CLI::Option* option = nullptr;
    CLI::Option* negated = nullptr;  // a boolean's --no-NAME
    std::shared_ptr<ParamValue> value;
  };
  struct Axis {
    std::string name, option;
    std::shared_ptr<std::string> text;
  };
  CLI::App& command_;
  SettingsSchema settings_;
  std::vector<Bound> bound_;
  std::vector<Axis> axes_;
};

std::string option_name(
    const std::string& setting);  // "stop_after_epochs" -> "--stop-after-epochs"

}  // namespace riskstep
