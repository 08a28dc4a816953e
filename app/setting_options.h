#pragma once
// Command-line options made from a job kind's settings: --name-with-dashes per setting (bool
// settings: --name and --no-name), typed and checked as the settings declare. Only the options
// the user gives become settings, so `riskstep train --epochs 2` makes the very task a spec with
// `epochs = 2` makes.
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

 private:
  struct Bound {
    std::string name;
    CLI::Option* option = nullptr;
    CLI::Option* negated = nullptr;  // a boolean's --no-NAME
    std::shared_ptr<ParamValue> value;
  };
  std::vector<Bound> bound_;
};

std::string option_name(
    const std::string& setting);  // "stop_after_epochs" -> "--stop-after-epochs"

}  // namespace riskstep
