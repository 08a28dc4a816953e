// libFuzzer target: the sweep-spec parser and the grid expansion on arbitrary text, with a few
// --set overrides. It must either give tasks or throw one SpecError; anything else (another
// exception, a crash, a sanitizer report, a runaway allocation) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/spec/sweep_spec.h"

namespace {

const riskstep::SettingsSchema& schema() {
  using riskstep::SettingRole;
  static const riskstep::SettingsSchema settings = [] {
    riskstep::SettingsSchema s;
    for (const char* name : {"model", "period", "out_file"})
      s.add({name, std::string(), SettingRole::identity, "", {}, {}});
    s.add({"data_dir", std::string(), SettingRole::input, "", {}, {}}).path({"none"});
    s.add({"levels", std::string("0.01"), SettingRole::identity, "", {}, {}})
        .list(0.0)
        .min({0, false})
        .max({0.5, false})
        .distinct();
    s.add({"blocks", std::string(), SettingRole::identity, "", {}, {}}).list(int64_t{0});
    s.add({"kind_of", std::string("a"), SettingRole::identity, "", {"a", "b"}, {}});
    for (const char* name : {"seed", "i"})
      s.add({name, int64_t{0}, SettingRole::identity, "", {}, {}});
    s.add({"window", int64_t{251}, SettingRole::identity, "", {}, {}})
        .min({2, true})
        .max({5000, true});
    s.add({"lr", 0.1, SettingRole::identity, "", {}, {}});
    s.add({"flag", false, SettingRole::identity, "", {}, {}});
    s.add({"threads", int64_t{0}, SettingRole::run, "", {}, {}});
    return s;
  }();
  return settings;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // The last line, when it starts with "#set ", is a --set override.
  std::vector<std::string> overrides;
  const size_t last = text.rfind("\n#set ");
  if (last != std::string::npos) overrides.push_back(text.substr(last + 6));
  try {
    const riskstep::SweepSpec spec =
        riskstep::parse_sweep_spec(text, "fuzz.toml", "/base", overrides);
    const auto tasks = riskstep::expand_tasks(spec, schema(), 10000);
    for (const auto& task : tasks)
      if (task.id.size() != 16) __builtin_trap();
    riskstep::parse_sweep_spec(riskstep::spec_toml(spec), "again.toml", "/base");
  } catch (const riskstep::SpecError&) {
  }
  return 0;
}
