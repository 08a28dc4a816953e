#include "app/slurm_command.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include "app/run_command.h"
#include "pipeline/cluster/slurm_client.h"
#include "pipeline/cluster/slurm_script.h"
#include "pipeline/cluster/slurm_values.h"
#include "pipeline/core/printable.h"
#include "pipeline/run/sweep_plan.h"
#include "pipeline/spec/sweep_spec.h"
#include "pipeline/store/atomic_file.h"
#include "pipeline/store/out_layout.h"

namespace riskstep {
namespace fs = std::filesystem;

namespace {

struct SubmitOptions {
  std::string spec;
  std::string out;
  std::string job_name;
  std::string setup_file;
  std::string launcher = "mpirun";
  int ntasks_per_node = 0;  // 0: 1, or --gpus-per-node on GPU jobs
  bool no_requeue = false;
  bool dry_run = false;
  bool array_given = false;
  SlurmRequest request;
};

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Slurm expands %-patterns in --output; %% is a literal '%'.
std::string literal_for_filename_pattern(const std::string& path) {
  std::string escaped;
  for (char c : path) escaped += c == '%' ? std::string("%%") : std::string(1, c);
  return escaped;
}

// Whole or not at all: a queued job may be about to read what an earlier submission wrote.
void write_file(const fs::path& path, const std::string& text) {
  write_file_atomically(path.string(), text);
  fs::permissions(path, fs::perms::owner_exec, fs::perm_options::add);
}

SlurmRequest build_request(SubmitOptions& o) {
  SlurmRequest r = o.request;
  if (!fs::is_regular_file(o.spec)) throw std::invalid_argument("SPEC: no such file: " + o.spec);
  r.spec_path = fs::absolute(o.spec).lexically_normal().string();
  r.out_dir = fs::absolute(o.out).lexically_normal().string();
  while (r.out_dir.size() > 1 && r.out_dir.back() == '/') r.out_dir.pop_back();
  std::error_code error;
  r.riskstep_path = fs::read_symlink("/proc/self/exe", error).string();
  if (error)
    throw std::runtime_error("cannot find the riskstep binary: /proc/self/exe: " + error.message());
  // A binary rebuilt while it runs reads "PATH (deleted)"; the job will run the new one at PATH.
  const std::string deleted = " (deleted)";
  if (r.riskstep_path.size() > deleted.size() &&
      r.riskstep_path.compare(r.riskstep_path.size() - deleted.size(), deleted.size(), deleted) ==
          0)
    r.riskstep_path.resize(r.riskstep_path.size() - deleted.size());
  r.job_name = o.job_name.empty()
                   ? sanitize_slurm_name("riskstep-" + fs::path(o.spec).stem().string())
                   : o.job_name;
  if (o.launcher != "mpirun" && o.launcher != "srun")
    throw std::invalid_argument("--launcher: expected mpirun or srun, got '" + o.launcher + "'");
  r.launcher = o.launcher == "srun" ? MpiLauncher::srun : MpiLauncher::mpirun;
  r.ntasks_per_node = o.ntasks_per_node > 0 ? o.ntasks_per_node : (r.gpus_per_node > 0 ? 0 : 1);
  if (o.ntasks_per_node < 0)
    throw std::invalid_argument("--ntasks-per-node: expected a positive count");
  r.requeue = !o.no_requeue;
  if (!o.setup_file.empty()) {
    try {
      r.setup += (r.setup.empty() ? "" : "\n") + read_text_file(o.setup_file);
    } catch (const std::runtime_error& error) {  // bad input: exit 2
      throw std::invalid_argument(std::string("--setup-file: ") + error.what());
    }
  }
  if (!r.template_file.empty()) {
    if (!fs::is_regular_file(r.template_file))
      throw std::invalid_argument("--template: no such file: " + r.template_file);
    r.template_file = fs::absolute(r.template_file).lexically_normal().string();
  }
  return checked(r);
}

// Where the job reads the spec: a copy in OUT/slurm/ with its relative paths resolved, since the
// spec may lie where compute nodes cannot see it (a node-local /tmp) or change before the job runs.
struct SpecCopy {
  fs::path path;
  std::string text;
};
SpecCopy spec_copy(const SubmitOptions& o, const SlurmRequest& r, const SweepPlan& plan) {
  return {out_layout::slurm_dir(r.out_dir) + "/" + r.job_name + ".spec.toml",
          spec_toml(bind_settings(load_sweep_spec(o.spec), plan.settings))};
}

// File systems each node has its own of: a path there on the submit host is not the compute
// node's.
bool node_local(const std::string& path) {
  for (const char* local : {"/tmp/", "/var/tmp/", "/dev/shm/", "/run/"})
    if (path.rfind(local, 0) == 0) return true;
  return false;
}

void warn(const std::string& text) {
  std::cerr << "riskstep slurm submit: warning: " << printable(text) << "\n";
}

// Every path the job needs that compute nodes may not see, and GPUs asked for tasks that never
// use them.
void warn_about(const SlurmRequest& r, const SweepPlan& plan, const JobRegistry& registry) {
  std::set<std::string> inputs;
  for (const Task& task : plan.tasks)
    for (const auto& [name, value] : task.run_settings)
      if (const auto* text = std::get_if<std::string>(&value);
          text && plan.settings.find(name)->role == SettingRole::input && !text->empty() &&
          (*text)[0] == '/')
        inputs.insert(*text);
  std::vector<std::pair<std::string, std::string>> paths = {
      {"the riskstep binary", r.riskstep_path}, {"--out", r.out_dir}};
  for (const auto& input : inputs) paths.emplace_back("input data", input);
  if (node_local(fs::absolute(plan.spec.source).string()))
    warn("the spec " + plan.spec.source + " lies on a node-local file system: the job reads its " +
         "copy in " + out_layout::slurm_dir(r.out_dir));
  for (const auto& [what, path] : paths)
    if (node_local(path + "/"))
      warn(what + " " + path + " lies on a node-local file system: compute nodes see their own; " +
           "use a path on a shared file system");
  for (fs::path dir = fs::path(r.riskstep_path).parent_path(); dir.has_relative_path();
       dir = dir.parent_path())
    if (fs::exists(dir / "CMakeCache.txt")) {
      warn("the job runs " + r.riskstep_path + " from a build tree: rebuilding it changes what " +
           "queued jobs run; install it (cmake --install " + dir.string() +
           " --prefix P) and submit with P/bin/riskstep");
      break;
    }
  const std::string gpu_request = r.gpus_per_node > 0
                                      ? "--gpus-per-node " + std::to_string(r.gpus_per_node)
                                  : r.gres.find("gpu") != std::string::npos ? "--gres " + r.gres
                                                                            : "";
  if (!gpu_request.empty()) {
    const std::unique_ptr<Job> job = registry.make(plan.spec.kind);
    bool any_gpu = false;
    for (const Task& task : plan.tasks) any_gpu = any_gpu || job->device(task) != "cpu";
    if (!any_gpu)
      warn(gpu_request + ": " + plan.spec.kind + " computes on CPUs only; the GPUs would idle");
  }
}

// A spec the sweep would refuse makes a job that fails on the cluster: refuse it here, with the
// same checks as `riskstep sweep --dry-run` (the --set arguments after -- included).
SweepPlan check_spec(const SlurmRequest& r, const std::string& spec, const JobRegistry& registry) {
  SweepOptions sweep;
  sweep.spec_path = spec;
  sweep.out_dir = r.out_dir;
  sweep.dry_run = true;
  for (size_t i = 0; i + 1 < r.sweep_args.size(); ++i)
    if (r.sweep_args[i] == "--set") sweep.overrides.push_back(r.sweep_args[i + 1]);
  const SweepPlan plan = make_sweep_plan(sweep, registry, 1);
  const int ranks = r.array_shards > 0 ? r.ntasks_per_node : r.nodes * r.ntasks_per_node;
  if (plan.spec.ranks_per_task > ranks)
    throw std::invalid_argument(
        "the spec's ranks_per_task = " + std::to_string(plan.spec.ranks_per_task) +
        " but a job gets " + std::to_string(ranks) +
        " rank(s): raise --nodes or "
        "--ntasks-per-node");
  return plan;
}

// sbatch's own words, line by line, then what to look at.
int report_sbatch_failure(const SbatchError& error) {
  std::cerr << "riskstep slurm submit: " << error.what() << ":\n";
  std::istringstream lines(error.output);
  for (std::string line; std::getline(lines, line);) std::cerr << "  " << printable(line) << "\n";
  std::cerr << "riskstep slurm submit: check that Slurm answers on this host (sinfo; SLURM_CONF), "
               "and the partition, account, QOS, memory and limits asked for (--dry-run shows "
               "the script)\n";
  return 1;
}

int submit(SubmitOptions& o, const JobRegistry& registry) {
  SlurmRequest r;
  RenderedScripts scripts;
  SpecCopy copy;
  if (o.array_given && o.request.array_shards < 1)
    throw std::invalid_argument("--array: expected a number of shards of at least 1, got " +
                                std::to_string(o.request.array_shards));
  r = build_request(o);
  const SweepPlan plan = check_spec(r, o.spec, registry);
  warn_about(r, plan, registry);
  copy = spec_copy(o, r, plan);
  r.spec_path = copy.path.string();
  scripts = render_slurm_scripts(r, find_slurm_template_dir());
  const fs::path log_dir = out_layout::slurm_dir(r.out_dir);
  const std::string log_pattern = literal_for_filename_pattern(log_dir.string()) +
                                  (r.array_shards > 0 ? "/%x-%A_%a.out" : "/%x-%j.out");
  const fs::path script_file = log_dir / (r.job_name + ".sbatch");
  const fs::path merge_file = log_dir / (r.job_name + "-merge.sbatch");
  const std::vector<std::string> main_options = {"--output=" + log_pattern};
  const std::string merge_output =
      "--output=" + literal_for_filename_pattern(log_dir.string()) + "/%x-%j.out";

  if (o.dry_run) {  // stdout: the script(s); stderr: how they would be submitted
    std::cerr << "riskstep slurm submit: the job reads the spec from " << copy.path.string()
              << " (written on submission, relative paths resolved)\n";
    std::cerr << "sbatch " << shell_single_quote(main_options[0]) << " "
              << shell_single_quote(script_file.string()) << "\n";
    std::cout << scripts.main;
    if (!scripts.merge.empty()) {
      std::cerr << "sbatch --dependency=afterany:<array job id> "
                << shell_single_quote(merge_output) << " "
                << shell_single_quote(merge_file.string()) << "\n";
      std::cout << "\n" << scripts.merge;
    }
    return 0;
  }
  try {
    fs::create_directories(log_dir);
    write_file(copy.path, copy.text);
    write_file(script_file, scripts.main);
    if (!scripts.merge.empty()) write_file(merge_file, scripts.merge);
  } catch (const std::exception& e) {  // e.g. a full disk
    throw std::runtime_error(std::string(e.what()) + " (nothing submitted)");
  }
  std::string job_id;
  try {
    job_id = submit_batch_script(script_file.string(), main_options);
  } catch (const SbatchError& error) {
    return report_sbatch_failure(error);
  }
  std::cout << job_id << "\n";
  if (scripts.merge.empty()) {
    std::cerr << "riskstep: submitted job " << job_id << " (" << r.nodes * r.ntasks_per_node
              << " ranks); log " << log_dir.string() << "/" << r.job_name << "-" << job_id
              << ".out\n";
    return 0;
  }
  std::string merge_id;
  try {
    merge_id =
        submit_batch_script(merge_file.string(), {"--dependency=afterany:" + job_id, merge_output});
  } catch (const SbatchError& error) {
    std::cerr << "riskstep slurm submit: the array job " << job_id
              << " is queued, but not its merge job\n";
    return report_sbatch_failure(error);
  }
  std::cout << merge_id << "\n";
  std::cerr << "riskstep: submitted array job " << job_id << " (" << r.array_shards
            << " shards) and merge job " << merge_id << " after it; logs in " << log_dir.string()
            << "\n";
  return 0;
}

int requeue(int max_requeues) {
  const RequeueDecision decision = decide_requeue(
      env_or_empty("SLURM_JOB_ID"), env_or_empty("SLURM_RESTART_COUNT"), max_requeues);
  std::cerr << "riskstep slurm requeue: " << decision.reason << "\n";
  if (!decision.requeue) return 1;
  requeue_job(env_or_empty("SLURM_JOB_ID"));
  return 0;
}

}  // namespace

void add_slurm_command(CLI::App& app, const JobRegistry& registry, int& exit_code) {
  CLI::App* slurm = app.add_subcommand("slurm", "Run sweeps on a Slurm cluster");
  slurm->require_subcommand(1);

  auto options = std::make_shared<SubmitOptions>();
  CLI::App* sub =
      slurm->add_subcommand("submit", "Render an sbatch script for a sweep and submit it");
  sub->footer(R"(Examples:
  # one MPI job, 2 nodes x 16 ranks, CPU only; print the script without submitting:
  riskstep slurm submit jobs/specs/herrig2023.toml --out runs/paper --nodes 2 --ntasks-per-node 16 \
      --time 12:00:00 --partition cpu --dry-run
  # 4 GPU nodes with 4 GPUs each: 16 ranks, one per GPU, NCCL backend:
  riskstep slurm submit jobs/specs/stepnet_fmnist.toml --out runs/stepnet --nodes 4 --gpus-per-node 4 \
      --cpus-per-task 8 --time 1-00:00:00 --partition gpu --account myproject
  # a job array of 20 shards, at most 5 running at once, then a merge job:
  riskstep slurm submit jobs/specs/herrig2023.toml --out runs/paper --array 20 --max-concurrent 5
  # a site that needs modules, memory and a QOS, and exports nothing by default:
  riskstep slurm submit jobs/specs/crisis.toml --out /scratch/me/crisis --ntasks-per-node 32 \
      --mem 64G --qos normal --export NONE --setup 'module load openmpi/4.1 hdf5/1.10'
  # arguments after -- go to `riskstep sweep` unchanged:
  riskstep slurm submit jobs/specs/herrig2023.toml --out runs/x -- --set grid.model=hs,garch
Prints the job id (and, with --array, the merge job's id on a second line). Scripts, logs and the
copy of the spec the job reads (relative paths resolved) go to OUT/slurm/; paths on node-local file
systems (/tmp, /var/tmp, /dev/shm) are warned about. Site templates: docs/cluster.md. Before the time limit Slurm sends USR1; the sweep stops cleanly and the job requeues
itself (at most --max-requeues times) and resumes where it stopped.)");
  sub->add_option("spec", options->spec, "Sweep spec (TOML)")->required();
  sub->add_option("--out", options->out, "Output directory of the sweep")->required();
  sub->add_option("--job-name", options->job_name, "Slurm job name (default riskstep-<spec name>)");
  sub->add_option("--nodes", options->request.nodes, "Nodes")->capture_default_str();
  sub->add_option("--ntasks-per-node", options->ntasks_per_node,
                  "MPI ranks per node (default 1, or --gpus-per-node)");
  sub->add_option("--gpus-per-node", options->request.gpus_per_node,
                  "GPUs per node: one rank per GPU, NCCL backend")
      ->capture_default_str();
  sub->add_option("--cpus-per-task", options->request.cpus_per_task, "CPU cores per rank")
      ->capture_default_str();
  sub->add_option("--time", options->request.time_limit,
                  "Time limit, any Slurm format: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS")
      ->capture_default_str();
  sub->add_option("--partition", options->request.partition, "Partition (default: the cluster's)");
  sub->add_option("--account", options->request.account, "Account to charge");
  sub->add_option("--qos", options->request.qos, "Quality of service");
  sub->add_option("--mem", options->request.memory, "Memory per node, e.g. 16G (0: all)");
  sub->add_option("--constraint", options->request.constraint, "Node features, e.g. 'avx2&ib'");
  sub->add_option("--gres", options->request.gres, "Generic resources, e.g. gpu:a100:4");
  sub->add_option("--export", options->request.export_env,
                  "Environment the job gets: ALL (the submit shell's), NONE (load it in --setup), "
                  "or VAR,VAR")
      ->capture_default_str();
  sub->add_option("--setup", options->request.setup,
                  "Shell lines every job runs first, e.g. 'module load openmpi/4 hdf5'");
  sub->add_option("--setup-file", options->setup_file, "A file of such lines (appended)");
  sub->add_option("--template", options->request.template_file,
                  "Site sbatch template for the main job (placeholders: docs/cluster.md)");
  sub->add_option_function<int>(
      "--array",
      [options](const int& shards) {
        options->request.array_shards = shards;
        options->array_given = true;
      },
      "Run as a job array of this many shards plus a merge job");
  sub->add_option("--max-concurrent", options->request.max_concurrent,
                  "With --array: array tasks running at once");
  sub->add_option("--launcher", options->launcher, "How ranks start: mpirun or srun (--mpi=pmix)")
      ->capture_default_str();
  sub->add_option("--warning-seconds", options->request.warning_seconds,
                  "USR1 this long before the time limit (default min(300, limit/4))");
  sub->add_flag("--no-requeue", options->no_requeue, "Do not requeue when the time limit is near");
  sub->add_option("--max-requeues", options->request.max_requeues, "Cap on requeues")
      ->capture_default_str();
  sub->add_flag("--dry-run", options->dry_run, "Print the script(s) instead of submitting");
  sub->add_option("sweep_args", options->request.sweep_args,
                  "Arguments after -- for riskstep sweep");
  sub->callback([options, &registry, &exit_code] {
    exit_code = run_command("slurm submit", [&] { return submit(*options, registry); });
  });

  auto max_requeues = std::make_shared<int>(5);
  CLI::App* rq = slurm->add_subcommand("requeue",
                                       "Requeue the current Slurm job (SLURM_JOB_ID) unless it hit "
                                       "the cap; used by the job scripts");
  rq->add_option("--max-requeues", *max_requeues, "Cap on SLURM_RESTART_COUNT")
      ->capture_default_str();
  rq->callback([max_requeues, &exit_code] {
    exit_code = run_command("slurm requeue", [&] { return requeue(*max_requeues); });
  });
}

}  // namespace riskstep
