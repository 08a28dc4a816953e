#include "test_data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

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

}  // namespace riskstep::testing
