#pragma once
// Renders the sbatch scripts of `riskstep slurm submit` from the templates in slurm/ (or a site's
// own template for the main job, --template).
// Templates hold @NAME@ placeholders; every value put in is validated (for #SBATCH lines) or
// single-quoted (for the shell body), see slurm_values.h, so no spec path, output directory or
// pass-through argument can inject shell code.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace riskstep {

enum class MpiLauncher { mpirun, srun };

struct SlurmRequest {
  std::string job_name;                 // validated by validate_slurm_name
  std::string riskstep_path;            // absolute path of the binary the job runs
  std::string spec_path;                // absolute
  std::string out_dir;                  // absolute
  std::vector<std::string> sweep_args;  // extra arguments for `riskstep sweep`, passed verbatim
  int nodes = 1;
  int ntasks_per_node = 1;  // MPI ranks per node; equals gpus_per_node on GPU jobs
  int gpus_per_node = 0;    // > 0: one rank per GPU and the NCCL backend
  int cpus_per_task = 1;
  std::string time_limit = "01:00:00";
  std::string partition;           // "" = cluster default
  std::string account;             // "" = user default
  std::string memory;              // --mem per node, e.g. 16G ("" = the cluster's default)
  std::string qos;                 // --qos
  std::string constraint;          // --constraint, e.g. "avx2&ib"
  std::string gres;                // --gres, e.g. gpu:a100:4
  std::string export_env = "ALL";  // --export: ALL, NONE, or a comma list of variables
  std::string setup;          // shell lines the jobs run first (module load ..., source a venv)
  std::string template_file;  // a site template for the main job ("" = riskstep's)
  MpiLauncher launcher = MpiLauncher::mpirun;
  int warning_seconds = 0;  // USR1 lead before the time limit; 0 = min(300, limit / 4)
  bool requeue = true;
  int max_requeues = 5;    // counted by SLURM_RESTART_COUNT
  int array_shards = 0;    // > 0: a job array of this many shards plus a merge job
  int max_concurrent = 0;  // array tasks running at once; 0 = no limit
};

// Checks the request as a whole (names, time limit, counts, GPU binding); throws
// std::invalid_argument with one line naming the option. Fills warning_seconds when 0.
SlurmRequest checked(SlurmRequest request);

// Replaces each @NAME@ in `text` by values.at(NAME). Throws naming `template_name` and the
// placeholder when one has no value, or a value not in `optional` is never used.
std::string fill_template(const std::string& template_name, const std::string& text,
                          const std::map<std::string, std::string>& values,
                          const std::set<std::string>& optional = {});

// What a site template (--template FILE) must and may use: docs/cluster.md lists them.
const std::set<std::string>& site_template_required();

// Directory holding *.sbatch.in: $RISKSTEP_SLURM_TEMPLATES, else <exe>/../share/riskstep/slurm,
// else slurm/ of the source tree this was built from. Throws when none has the templates.
std::string find_slurm_template_dir();

struct RenderedScripts {
  std::string main;   // the MPI sweep job, or the array job
  std::string merge;  // the dependent merge job (array mode only)
};
RenderedScripts render_slurm_scripts(const SlurmRequest& request, const std::string& template_dir);

}  // namespace riskstep
