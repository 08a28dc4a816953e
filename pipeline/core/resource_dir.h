#pragma once
// Where riskstep finds the files it ships beside the binary (sbatch templates, report scripts),
// looked up the same way for each: the directory named by an environment variable when set, else
// <prefix>/share/riskstep/<name> beside the running binary (`cmake --install`), else the folder of
// the source tree this binary was built from.
#include <string>
#include <vector>

namespace riskstep {

struct ResourceDir {
  std::string name;                 // under share/riskstep/
  std::string environment;          // e.g. RISKSTEP_SLURM_TEMPLATES
  std::string source_folder;        // relative to the source tree, e.g. "slurm"
  std::vector<std::string> probes;  // files that must be there
};

// The first candidate holding every probe; throws std::runtime_error naming what was tried and
// the variable that points elsewhere.
std::string find_resource_dir(const ResourceDir& resource);

}  // namespace riskstep
