#include "test_data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "pipeline/core/task_identity.h"

namespace riskstep::testing {

std::string shared_data_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("RISKSTEP_SHARED_DATA"); env && fs::is_directory(env))
    return env;
  if (fs::is_directory(RISKSTEP_SHARED_DATA)) return RISKSTEP_SHARED_DATA;
  return "";
}

std::string scratch_dir() {
  namespace fs = std::filesystem;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "global";
  for (char& c : name)
    if (c == '/') c = '_';
  fs::path dir = fs::temp_directory_path() / ("riskstep-test-" + std::to_string(::getpid())) / name;
  fs::create_directories(dir);
  return dir.string();
}

std::string write_scratch_file(const std::string& name, const std::string& text) {
  const std::string path = scratch_dir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

Task task_of(const std::string& kind, const Params& identity, uint64_t spec_seed, int ranks,
             const Params& run) {
  SettingsSchema schema;
  auto declare = [&](const Params& params, SettingRole role) {
    for (const auto& [name, value] : params) {
      Setting setting;
      setting.name = name;
      setting.role = role;
      setting.default_value =
          std::visit([](const auto& v) { return ParamValue(std::decay_t<decltype(v)>{}); }, value);
      schema.add(setting);
    }
  };
  declare(identity, SettingRole::identity);
  declare(run, SettingRole::run);
  Params given = identity;
  given.insert(run.begin(), run.end());
  return make_task(kind, schema, given, spec_seed, ranks);
}

}  // namespace riskstep::testing
