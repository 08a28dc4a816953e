#include "pipeline/core/resource_dir.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace riskstep {

namespace fs = std::filesystem;

std::string find_resource_dir(const ResourceDir& resource) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv(resource.environment.c_str()); env && *env)
    candidates.emplace_back(env);
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error)
    candidates.push_back(exe.parent_path().parent_path() / "share/riskstep" / resource.name);
  candidates.push_back(fs::path(RISKSTEP_SOURCE_TREE) / resource.source_folder);
  for (const fs::path& dir : candidates) {
    bool complete = true;
    for (const auto& probe : resource.probes)
      complete = complete && fs::is_regular_file(dir / probe);
    if (complete) return dir.string();
  }
  std::string tried;
  for (const fs::path& dir : candidates) tried += (tried.empty() ? "" : ", ") + dir.string();
  throw std::runtime_error(resource.probes.front() + " not found in: " + tried + "; set " +
                           resource.environment + " to riskstep's " + resource.source_folder +
                           "/ directory");
}

}  // namespace riskstep
