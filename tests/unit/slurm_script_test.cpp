// Rendering of the sbatch scripts: the #SBATCH lines a request asks for, and no shell injection
// through paths or pass-through arguments. The rendered scripts are checked with `bash -n` and
// then really executed (outside Slurm) with a probe in place of the riskstep binary that records
// the arguments it receives.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "pipeline/cluster/slurm_client.h"
#include "pipeline/cluster/slurm_script.h"
#include "pipeline/cluster/slurm_values.h"

namespace riskstep {
namespace {
namespace fs = std::filesystem;

const std::string kTemplates = std::string(RISKSTEP_SOURCE_DIR) + "/slurm/templates";

class SlurmScript : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("riskstep-slurm-script-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    marker_ = (dir_ / "injected").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  SlurmRequest request() const {
    SlurmRequest r;
    r.job_name = "riskstep-test";
    r.riskstep_path = "/opt/riskstep/bin/riskstep";
    r.spec_path = "/home/u/spec.toml";
    r.out_dir = "/scratch/u/run";
    return r;
  }

  std::string write(const std::string& name, const std::string& text) const {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    fs::permissions(path, fs::perms::owner_all);
    return path.string();
  }

  // A stand-in for riskstep that writes each argument it got, NUL-terminated, to args.bin.
  std::string probe() const {
    return write("probe", "#!/bin/bash\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done >> " +
                              (dir_ / "args.bin").string() + "\n");
  }

  std::vector<std::string> probe_args() const {
    std::ifstream in(dir_ / "args.bin", std::ios::binary);
    std::vector<std::string> args;
    std::string arg;
    while (std::getline(in, arg, '\0')) args.push_back(arg);
    return args;
  }

  fs::path dir_;
  std::string marker_;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(SlurmScript, CpuJobAsksForWhatWasRequested) {
  SlurmRequest r = request();
  r.nodes = 2;
  r.ntasks_per_node = 8;
  r.cpus_per_task = 4;
  r.time_limit = "02:00:00";
  r.partition = "cpu";
  r.account = "proj1";
  const RenderedScripts s = render_slurm_scripts(r, kTemplates);
  for (const char* line :
       {"#SBATCH --job-name=riskstep-test\n", "#SBATCH --nodes=2\n",
        "#SBATCH --ntasks-per-node=8\n", "#SBATCH --cpus-per-task=4\n", "#SBATCH --time=02:00:00\n",
        "#SBATCH --partition=cpu\n", "#SBATCH --account=proj1\n", "#SBATCH --signal=B:USR1@300\n",
        "#SBATCH --requeue\n", "export OMP_NUM_THREADS=4\n", "mpirun -np 16 "})
    EXPECT_TRUE(contains(s.main, line)) << line << "\n" << s.main;
  EXPECT_FALSE(contains(s.main, "--gpus-per-node"));
  EXPECT_FALSE(contains(s.main, "nccl"));
  EXPECT_TRUE(s.merge.empty());
  EXPECT_EQ(s.main.find('@'), s.main.find("@300"));  // no placeholder left
}

TEST_F(SlurmScript, GpuJobRunsOneRankPerGpuOnNccl) {
  SlurmRequest r = request();
  r.nodes = 2;
  r.gpus_per_node = 4;
  r.ntasks_per_node = 0;  // taken from the GPUs
  r.launcher = MpiLauncher::srun;
  const RenderedScripts s = render_slurm_scripts(r, kTemplates);
  EXPECT_TRUE(contains(s.main, "#SBATCH --gpus-per-node=4\n"));
  EXPECT_TRUE(contains(s.main, "#SBATCH --ntasks-per-node=4\n"));
  EXPECT_TRUE(contains(s.main, " '--device' 'cuda'\n"));
  EXPECT_TRUE(
      contains(s.main, "srun --mpi=pmix --kill-on-bad-exit=1 --ntasks=8 --ntasks-per-node=4"));
  r.ntasks_per_node = 2;
  EXPECT_THROW(render_slurm_scripts(r, kTemplates), std::invalid_argument);
}

TEST_F(SlurmScript, WarningComesBeforeShortTimeLimits) {
  SlurmRequest r = request();
  r.time_limit = "4";  // minutes
  EXPECT_TRUE(contains(render_slurm_scripts(r, kTemplates).main, "--signal=B:USR1@60\n"));
  r.warning_seconds = 240;  // not before the limit
  EXPECT_THROW(render_slurm_scripts(r, kTemplates), std::invalid_argument);
}

TEST_F(SlurmScript, ArrayJobShardsAndMergeJob) {
  SlurmRequest r = request();
  r.array_shards = 3;
  r.max_concurrent = 2;
  const RenderedScripts s = render_slurm_scripts(r, kTemplates);
  EXPECT_TRUE(contains(s.main, "#SBATCH --array=0-2%2\n"));
  EXPECT_TRUE(contains(s.main, "shard=\"${SLURM_ARRAY_TASK_ID:?not an array task}/3\""));
  EXPECT_TRUE(contains(s.main, "--shard \"$shard\""));
  EXPECT_TRUE(contains(s.merge, "#SBATCH --job-name=riskstep-test-merge\n"));
  EXPECT_TRUE(contains(s.merge, "--merge-only"));
  EXPECT_FALSE(contains(s.merge, "#SBATCH --array"));
  r.max_concurrent = 2;
  r.array_shards = 0;
  EXPECT_THROW(render_slurm_scripts(r, kTemplates), std::invalid_argument);
}

TEST_F(SlurmScript, HostileJobNamesPartitionsAndTimesAreRejected) {
  for (const char* bad : {"a b", "x\n#SBATCH --uid=0", "$(touch /tmp/x)", "a'b", "-x"}) {
    SlurmRequest r = request();
    r.job_name = bad;
    EXPECT_THROW(render_slurm_scripts(r, kTemplates), std::invalid_argument) << bad;
    r = request();
    r.partition = bad;
    EXPECT_THROW(render_slurm_scripts(r, kTemplates), std::invalid_argument) << bad;
    r = request();
    r.account = bad;
    EXPECT_THROW(render_slurm_scripts(r, kTemplates), std::invalid_argument) << bad;
    r = request();
    r.time_limit = bad;
    EXPECT_THROW(render_slurm_scripts(r, kTemplates), std::invalid_argument) << bad;
  }
  SlurmRequest r = request();
  r.spec_path = "relative/spec.toml";
  EXPECT_THROW(render_slurm_scripts(r, kTemplates), std::invalid_argument);
}

// Paths and arguments that would run a command if pasted into a shell unquoted.
std::vector<std::string> hostile(const std::string& dir, const std::string& marker) {
  return {dir + "/spec with space.toml",
          dir + "/it's \"quoted\".toml",
          dir + "/$(touch " + marker + ").toml",
          dir + "/`touch " + marker + "`",
          dir + "/x'; touch " + marker + "; echo 'y",
          dir + "/line\ntouch " + marker + "\n",
          dir + "/${HOME}$IFS*?[a]\\"};
}

TEST_F(SlurmScript, RenderedScriptsParseAndRunWithoutInjection) {
  const std::vector<std::string> paths = hostile(dir_.string(), marker_);
  for (size_t i = 0; i < paths.size(); ++i) {
    SlurmRequest r = request();
    r.riskstep_path = probe();
    r.spec_path = paths[i];
    r.out_dir = paths[(i + 1) % paths.size()];
    r.sweep_args = {"--set", paths[(i + 2) % paths.size()], "$(touch " + marker_ + ")"};
    r.array_shards = i % 2 == 0 ? 0 : 3;
    const RenderedScripts s = render_slurm_scripts(r, kTemplates);
    for (const std::string* script : {&s.main, &s.merge}) {
      if (script->empty()) continue;
      const std::string file = write("job.sh", *script);
      const CommandResult syntax = run_command({"bash", "-n", file});
      ASSERT_EQ(syntax.exit_status, 0) << syntax.output << "\n" << *script;
      // No #SBATCH line may carry a newline-injected directive or a shell character.
      std::istringstream lines(*script);
      for (std::string line; std::getline(lines, line);)
        if (line.rfind("#SBATCH", 0) == 0) {
          EXPECT_EQ(line.find_first_of("'\"$`;\\ \t", 8), std::string::npos) << line;
        }

      // Run it for real: mpirun -np 1 starts the probe, which records its arguments.
      fs::remove(dir_ / "args.bin");
      const std::string run =
          "env -u SLURM_JOB_ID SLURM_ARRAY_TASK_ID=1 bash " + shell_single_quote(file);
      const CommandResult result = run_command({"bash", "-c", run});
      ASSERT_EQ(result.exit_status, 0) << result.output << "\n" << *script;
      std::vector<std::string> expected = {"sweep", r.spec_path, "--out", r.out_dir};
      if (script == &s.merge)
        expected.push_back("--merge-only");
      else if (r.array_shards > 0)
        expected.insert(expected.end(), {"--shard", "1/3"});
      expected.push_back("--progress");  // job logs show the progress line
      expected.insert(expected.end(), r.sweep_args.begin(), r.sweep_args.end());
      EXPECT_EQ(probe_args(), expected) << *script;
    }
  }
  EXPECT_FALSE(fs::exists(marker_)) << "a rendered script ran an injected command";
}

TEST_F(SlurmScript, Usr1StopsTheStepAndAsksForARequeue) {
  // The probe sleeps until USR1 reaches it, then exits 3 (stopped early). The script must pass the
  // signal on and then call `riskstep slurm requeue` (here the probe again) with the cap.
  SlurmRequest r = request();
  r.max_requeues = 4;
  r.riskstep_path = write(
      "sleeper", "#!/bin/bash\nprintf '%s\\0' \"$@\" >> " + (dir_ / "args.bin").string() +
                     "\n[[ $1 == sweep ]] || exit 0\n"
                     "trap 'echo stopped > " +
                     (dir_ / "stopped").string() + "; exit 3' USR1\nwhile :; do sleep 0.1; done\n");
  const std::string file = write("job.sh", render_slurm_scripts(r, kTemplates).main);
  const std::string run = "bash " + shell_single_quote(file) +
                          " & job=$!; sleep 2; kill -USR1 $job; wait $job; echo exit=$?";
  const CommandResult result = run_command({"bash", "-c", run});
  EXPECT_TRUE(contains(result.output, "exit=3")) << result.output;
  EXPECT_TRUE(fs::exists(dir_ / "stopped")) << result.output;
  const std::vector<std::string> args = probe_args();
  const std::vector<std::string> requeue = {"slurm", "requeue", "--max-requeues", "4"};
  ASSERT_GE(args.size(), requeue.size()) << result.output;
  EXPECT_EQ(std::vector<std::string>(args.end() - 4, args.end()), requeue) << result.output;
}

}  // namespace
}  // namespace riskstep
