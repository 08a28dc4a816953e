// A LibTorch from python's wheel exports statically linked libstdc++ symbols; a binary that lists
// it before libstdc++ takes std:: functions from it (std::filesystem::remove_all crashed on the
// GPU machine). cmake/torch.cmake links libstdc++ first: this binary links LibTorch, so it checks
// the order and that std:: symbols resolve to libstdc++.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <link.h>
#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_data.h"

namespace riskstep {
namespace {

std::vector<std::string> loaded_libraries() {
  std::vector<std::string> names;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        static_cast<std::vector<std::string>*>(data)->emplace_back(info->dlpi_name);
        return 0;
      },
      &names);
  return names;
}

size_t position_of(const std::vector<std::string>& names, const std::string& part) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i].find(part) != std::string::npos) return i;
  return names.size();
}

TEST(StdlibFirst, LibstdcxxLoadsBeforeLibTorch) {
  const auto names = loaded_libraries();
  const size_t stdcxx = position_of(names, "libstdc++");
  const size_t torch_cpu = position_of(names, "libtorch");
  ASSERT_LT(stdcxx, names.size()) << "libstdc++ is not loaded";
  ASSERT_LT(torch_cpu, names.size()) << "LibTorch is not loaded";
  EXPECT_LT(stdcxx, torch_cpu) << names[stdcxx] << " after " << names[torch_cpu];
}

TEST(StdlibFirst, FilesystemSymbolsResolveToLibstdcxx) {
  for (const char* symbol : {"_ZNSt10filesystem10remove_allERKNS_7__cxx114pathE",
                             "_ZNSt10filesystem18create_directoriesERKNS_7__cxx114pathE"}) {
    void* address = dlsym(RTLD_DEFAULT, symbol);
    ASSERT_NE(address, nullptr) << symbol;
    Dl_info info{};
    ASSERT_NE(dladdr(address, &info), 0) << symbol;
    EXPECT_NE(std::string(info.dli_fname).find("libstdc++"), std::string::npos)
        << symbol << " comes from " << info.dli_fname;
  }
  const std::string dir = testing::scratch_dir() + "/a/b/c";
  std::filesystem::create_directories(dir);
  EXPECT_GT(std::filesystem::remove_all(testing::scratch_dir() + "/a"), 0u);
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_EQ(torch::ones({2}).sum().item<float>(), 2.0f);  // LibTorch is really in use
}

}  // namespace
}  // namespace riskstep
