#include "app/runtime_libraries.h"

#include <dlfcn.h>
#include <nlopt.h>
#include <torch/version.h>

#include <boost/version.hpp>
#include <filesystem>

#include "pipeline/store/run_metadata.h"

namespace riskstep {

namespace {
// Looked up at run time: which BLAS LibTorch loaded is the system's choice (Debian's
// alternatives), not ours, and only OpenBLAS has these functions.
template <typename Function>
Function blas_function(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_DEFAULT, name));
}
}  // namespace

void pin_blas_threads() {
  if (auto set_threads = blas_function<void (*)(int)>("openblas_set_num_threads")) set_threads(1);
}

std::string blas_description() {
  std::string description;
  if (auto config = blas_function<char* (*)()>("openblas_get_config")) description = config();
  void* sgemm = dlsym(RTLD_DEFAULT, "sgemm_");
  Dl_info info{};
  if (sgemm != nullptr && dladdr(sgemm, &info) != 0 && info.dli_fname != nullptr) {
    std::error_code error;
    const auto file = std::filesystem::canonical(info.dli_fname, error);
    description += (description.empty() ? "" : " ") + std::string("(") +
                   (error ? std::string(info.dli_fname) : file.string()) + ")";
  }
  return description.empty() ? "unknown (no sgemm_ loaded)" : description;
}

void record_runtime_libraries() {
  record_library_version("blas", blas_description());
  record_library_version("libtorch", TORCH_VERSION);
  record_library_version("boost", std::to_string(BOOST_VERSION / 100000) + "." +
                                      std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                                      std::to_string(BOOST_VERSION % 100));
  int major = 0, minor = 0, bugfix = 0;
  nlopt_version(&major, &minor, &bugfix);
  record_library_version(
      "nlopt", std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(bugfix));
  record_library_version("compiler", std::string("g++ ") + __VERSION__);
}

}  // namespace riskstep
