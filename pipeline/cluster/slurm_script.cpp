#include "pipeline/cluster/slurm_script.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "pipeline/cluster/slurm_values.h"
#include "pipeline/core/resource_dir.h"

namespace riskstep {
namespace fs = std::filesystem;

namespace {

const char* const kTemplates[] = {"sweep.sbatch.in", "array.sbatch.in", "merge.sbatch.in",
                                  "preemption.bash.in"};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot read the sbatch template");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string sbatch_line(const std::string& option) {
  return "#SBATCH " + option + "\n";
}

// #SBATCH lines of the site's choices, shared by every job (the merge job too).
std::string site_lines(const SlurmRequest& r) {
  std::string lines;
  if (!r.partition.empty()) lines += sbatch_line("--partition=" + r.partition);
  if (!r.account.empty()) lines += sbatch_line("--account=" + r.account);
  if (!r.qos.empty()) lines += sbatch_line("--qos=" + r.qos);
  if (!r.memory.empty()) lines += sbatch_line("--mem=" + r.memory);
  if (!r.constraint.empty()) lines += sbatch_line("--constraint=" + r.constraint);
  // Said explicitly: sites differ in what sbatch exports by default.
  lines += sbatch_line("--export=" + r.export_env);
  return lines;
}

// The user's setup (module load ..., a venv), run by every job before riskstep; its start is
// logged so the job's output shows it ran.
std::string setup_lines(const SlurmRequest& r) {
  if (r.setup.empty()) return "";
  return std::string("# --- site setup (riskstep slurm submit --setup) ---\n") +
         "echo \"riskstep-slurm: running the site setup\"\n" + r.setup +
         (r.setup.back() == '\n' ? "" : "\n") + "# --- end of site setup ---\n";
}

// #SBATCH lines shared by the sweep and array jobs.
std::string resource_lines(const SlurmRequest& r) {
  std::string lines = sbatch_line("--job-name=" + r.job_name);
  lines += sbatch_line("--nodes=" + std::to_string(r.nodes));
  lines += sbatch_line("--ntasks-per-node=" + std::to_string(r.ntasks_per_node));
  lines += sbatch_line("--cpus-per-task=" + std::to_string(r.cpus_per_task));
  if (r.gpus_per_node > 0)
    lines += sbatch_line("--gpus-per-node=" + std::to_string(r.gpus_per_node));
  if (!r.gres.empty()) lines += sbatch_line("--gres=" + r.gres);
  lines += sbatch_line("--time=" + r.time_limit);
  lines += site_lines(r);
  lines += sbatch_line("--signal=B:USR1@" + std::to_string(r.warning_seconds));
  lines += sbatch_line(r.requeue ? "--requeue" : "--no-requeue");
  // A requeued run appends to the log of the earlier runs instead of truncating it.
  lines += sbatch_line("--open-mode=append");
  return lines;
}

std::string environment_lines(const SlurmRequest& r) {
  std::string lines = "export OMP_NUM_THREADS=" + std::to_string(r.cpus_per_task) + "\n";
  // Open MPI refuses root unless told; a job runs as root only on a test cluster.
  lines +=
      "if [[ $(id -u) -eq 0 ]]; then export OMPI_ALLOW_RUN_AS_ROOT=1 "
      "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi\n";
  return lines;
}

std::string launch_prefix(const SlurmRequest& r) {
  const std::string ranks = std::to_string(r.nodes * r.ntasks_per_node);
  if (r.launcher == MpiLauncher::srun)
    return "srun --mpi=pmix --kill-on-bad-exit=1 --ntasks=" + ranks +
           " --ntasks-per-node=" + std::to_string(r.ntasks_per_node) +
           " --cpus-per-task=" + std::to_string(r.cpus_per_task) +
           (r.gpus_per_node > 0 ? " --gpu-bind=none" : "");
  return "mpirun -np " + ranks + " --map-by ppr:" + std::to_string(r.ntasks_per_node) +
         ":node --bind-to none";
}

// Arguments for `riskstep sweep` after SPEC --out DIR. GPU jobs run the sweep with --device cuda:
// each rank binds the GPU of its node-local rank, so every rank sees all GPUs of its node. The
// user's own arguments come last and win.
std::string sweep_arguments(const SlurmRequest& r) {
  std::vector<std::string> args = {"--progress"};  // job logs show it every few seconds
  if (r.gpus_per_node > 0) args.insert(args.end(), {"--device", "cuda"});
  args.insert(args.end(), r.sweep_args.begin(), r.sweep_args.end());
  std::string text;
  for (const std::string& arg : args) text += " " + shell_single_quote(arg);
  return text;
}

}  // namespace

SlurmRequest checked(SlurmRequest r) {
  validate_slurm_name("--job-name", r.job_name);
  if (!r.partition.empty()) validate_slurm_name("--partition", r.partition);
  if (!r.account.empty()) validate_slurm_name("--account", r.account);
  if (!r.qos.empty()) validate_slurm_name("--qos", r.qos);
  if (!r.memory.empty()) validate_slurm_memory("--mem", r.memory);
  if (!r.constraint.empty()) validate_slurm_feature("--constraint", r.constraint);
  if (!r.gres.empty()) validate_slurm_feature("--gres", r.gres);
  validate_slurm_export("--export", r.export_env);
  if (r.setup.find('\0') != std::string::npos)
    throw std::invalid_argument("--setup: a NUL byte cannot be part of a shell script");
  const long limit = parse_slurm_time_limit("--time", r.time_limit);
  validate_count("--nodes", r.nodes, 1, 100000);
  validate_count("--gpus-per-node", r.gpus_per_node, 0, 64);
  validate_count("--cpus-per-task", r.cpus_per_task, 1, 4096);
  if (r.gpus_per_node > 0) {
    if (r.ntasks_per_node == 0) r.ntasks_per_node = r.gpus_per_node;
    if (r.ntasks_per_node != r.gpus_per_node)
      throw std::invalid_argument(
          "--ntasks-per-node: GPU jobs run one rank per GPU, so it must equal --gpus-per-node (" +
          std::to_string(r.gpus_per_node) + "), got " + std::to_string(r.ntasks_per_node));
  }
  validate_count("--ntasks-per-node", r.ntasks_per_node, 1, 4096);
  validate_count("--max-requeues", r.max_requeues, 0, 1000);
  validate_count("--array", r.array_shards, 0, 100000);
  validate_count("--max-concurrent", r.max_concurrent, 0, 100000);
  if (r.max_concurrent > 0 && r.array_shards == 0)
    throw std::invalid_argument("--max-concurrent: only applies with --array");
  if (r.warning_seconds == 0)
    r.warning_seconds = static_cast<int>(std::min(300L, std::max(1L, limit / 4)));
  validate_count("--warning-seconds", r.warning_seconds, 1,
                 std::min(65535L, std::max(1L, limit - 1)));
  for (const std::string* path : {&r.riskstep_path, &r.spec_path, &r.out_dir})
    if (path->empty() || (*path)[0] != '/')
      throw std::invalid_argument("paths in a job script must be absolute, got '" + *path + "'");
  return r;
}

std::string fill_template(const std::string& template_name, const std::string& text,
                          const std::map<std::string, std::string>& values,
                          const std::set<std::string>& optional) {
  std::string out;
  std::set<std::string> used;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find('@', pos);
    if (open == std::string::npos) break;
    const size_t close = text.find('@', open + 1);
    const std::string name =
        close == std::string::npos ? "" : text.substr(open + 1, close - open - 1);
    const bool is_placeholder = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || c == '_';
    });
    if (!is_placeholder) {  // a lone '@' (e.g. in --signal=B:USR1@300) is text
      out.append(text, pos, open + 1 - pos);
      pos = open + 1;
      continue;
    }
    const auto value = values.find(name);
    if (value == values.end())
      throw std::invalid_argument(template_name + ": placeholder @" + name + "@ has no value");
    out.append(text, pos, open - pos);
    out += value->second;
    used.insert(name);
    pos = close + 1;
  }
  out.append(text, pos, std::string::npos);
  for (const auto& [name, value] : values)
    if (!used.count(name) && !optional.count(name))
      throw std::invalid_argument(template_name + ": does not use @" + name + "@");
  return out;
}

const std::set<std::string>& site_template_required() {
  static const std::set<std::string> names = {"SBATCH_LINES", "RISKSTEP", "SPEC", "OUT"};
  return names;
}

std::string find_slurm_template_dir() {
  std::vector<std::string> probes(std::begin(kTemplates), std::end(kTemplates));
  return find_resource_dir({"slurm", "RISKSTEP_SLURM_TEMPLATES", "slurm/templates", probes});
}

RenderedScripts render_slurm_scripts(const SlurmRequest& request, const std::string& template_dir) {
  const SlurmRequest r = checked(request);
  const fs::path dir(template_dir);
  const std::string preemption = read_text(dir / "preemption.bash.in");
  std::map<std::string, std::string> values = {
      {"RISKSTEP", shell_single_quote(r.riskstep_path)},
      {"SPEC", shell_single_quote(r.spec_path)},
      {"OUT", shell_single_quote(r.out_dir)},
      {"MAX_REQUEUES", std::to_string(r.max_requeues)},
      {"ENVIRONMENT", environment_lines(r)},
      {"PREEMPTION", preemption},
      {"LAUNCH", launch_prefix(r)},
      {"SWEEP_ARGS", sweep_arguments(r)},
      {"SETUP", setup_lines(r)},
  };
  RenderedScripts scripts;
  const std::string lines = resource_lines(r);
  // A built-in template uses every value; a site template must run the sweep (SBATCH_LINES,
  // RISKSTEP, SPEC, OUT) and may use the rest.
  auto main_template = [&](const char* name) {
    if (r.template_file.empty()) return fill_template(name, read_text(dir / name), values, {});
    std::set<std::string> optional;
    for (const auto& [key, value] : values)
      if (!site_template_required().count(key)) optional.insert(key);
    return fill_template(fs::path(r.template_file).filename().string(), read_text(r.template_file),
                         values, optional);
  };
  if (r.array_shards == 0) {
    values["SBATCH_LINES"] = lines;
    scripts.main = main_template("sweep.sbatch.in");
    return scripts;
  }
  std::string array = "--array=0-" + std::to_string(r.array_shards - 1);
  if (r.max_concurrent > 0) array += "%" + std::to_string(r.max_concurrent);
  values["SBATCH_LINES"] = lines + sbatch_line(array);
  values["SHARDS"] = std::to_string(r.array_shards);
  scripts.main = main_template("array.sbatch.in");

  std::string merge_lines = sbatch_line("--job-name=" + r.job_name + "-merge");
  merge_lines += sbatch_line("--nodes=1");
  merge_lines += sbatch_line("--ntasks=1");
  merge_lines += sbatch_line("--time=" + r.time_limit);
  merge_lines += site_lines(r);
  const std::map<std::string, std::string> merge_values = {
      {"SBATCH_LINES", merge_lines},
      {"RISKSTEP", values["RISKSTEP"]},
      {"SPEC", values["SPEC"]},
      {"OUT", values["OUT"]},
      {"SWEEP_ARGS", values["SWEEP_ARGS"]},
      {"SETUP", values["SETUP"]},
  };
  scripts.merge =
      fill_template("merge.sbatch.in", read_text(dir / "merge.sbatch.in"), merge_values);
  return scripts;
}

}  // namespace riskstep
