#include "app/cpu_kernels.h"

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>

#include "pipeline/store/run_metadata.h"

namespace riskstep {

namespace {

// What each library reads, and the value that pins it to the baseline. OpenBLAS reads its
// variable only when it initialises (re-done below); ATen and oneDNN when they first compute.
struct KernelVariable {
  const char* name;
  const char* baseline;
};
constexpr KernelVariable kVariables[] = {{"OPENBLAS_CORETYPE", "Haswell"},
                                         {"ATEN_CPU_CAPABILITY", "avx2"},
                                         {"ONEDNN_MAX_CPU_ISA", "AVX2"},
                                         {"DNNL_MAX_CPU_ISA", "AVX2"}};

bool cpu_has_baseline() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

// OpenBLAS chose its kernels when it was loaded; these (exported by DYNAMIC_ARCH builds) make it
// choose again from OPENBLAS_CORETYPE. Absent for other BLAS libraries, which have one kernel set.
std::string reinitialise_openblas() {
  using Call = void (*)();
  auto quit = reinterpret_cast<Call>(dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit"));
  auto init = reinterpret_cast<Call>(dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init"));
  auto corename = reinterpret_cast<char* (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (quit == nullptr || init == nullptr || corename == nullptr) return "";
  quit();
  init();
  return corename();
}

}  // namespace

std::string requested_cpu_kernels(int argc, char** argv) {
  const std::string option = "--cpu-kernels";
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == option && i + 1 < argc) return argv[i + 1];
    if (word.rfind(option + "=", 0) == 0) return word.substr(option.size() + 1);
  }
  const char* from_environment = std::getenv("RISKSTEP_CPU_KERNELS");
  return from_environment && *from_environment ? from_environment : "baseline";
}

void pin_cpu_kernels(const std::string& choice) {
  if (choice != "baseline" && choice != "native")
    throw std::invalid_argument("--cpu-kernels: expected baseline or native, got '" + choice + "'");
  std::string description;
  if (choice == "baseline" && cpu_has_baseline()) {
    for (const auto& variable : kVariables) setenv(variable.name, variable.baseline, 1);
    description = "baseline (AVX2): OpenBLAS ";
  } else {
    description =
        choice == "baseline"
            ? "native (no AVX2 and FMA on this CPU: numbers may differ from other CPUs'): "
              "OpenBLAS "
            : "native: OpenBLAS ";
  }
  const std::string core = reinitialise_openblas();
  description += core.empty() ? "not loaded" : core;
  for (const auto& variable : kVariables) {
    if (std::string(variable.name) == "OPENBLAS_CORETYPE") continue;
    const char* value = std::getenv(variable.name);
    description += std::string(", ") + variable.name + "=" + (value ? value : "(library's choice)");
  }
  record_library_version("cpu_kernels", description);
}

}  // namespace riskstep
