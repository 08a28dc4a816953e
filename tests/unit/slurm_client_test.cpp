// sbatch answers, the requeue cap, and running commands without a shell.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "pipeline/cluster/slurm_client.h"

namespace riskstep {
namespace {

TEST(SlurmClient, ParsesSbatchJobIds) {
  EXPECT_EQ(parse_sbatch_job_id("1234\n"), "1234");
  EXPECT_EQ(parse_sbatch_job_id("77;cluster-a"), "77");
  EXPECT_EQ(parse_sbatch_job_id("Submitted batch job 991\n"), "991");
  EXPECT_THROW(parse_sbatch_job_id("sbatch: error: Batch job submission failed"),
               std::runtime_error);
  EXPECT_THROW(parse_sbatch_job_id(""), std::runtime_error);
}

TEST(SlurmClient, RequeueIsCappedBySlurmRestartCount) {
  EXPECT_TRUE(decide_requeue("42", "", 3).requeue);
  EXPECT_TRUE(decide_requeue("42", "2", 3).requeue);
  EXPECT_FALSE(decide_requeue("42", "3", 3).requeue);
  EXPECT_FALSE(decide_requeue("42", "0", 0).requeue);
  EXPECT_FALSE(decide_requeue("", "0", 3).requeue);              // not in a job
  EXPECT_FALSE(decide_requeue("42; rm -rf /", "0", 3).requeue);  // not an id
  EXPECT_FALSE(decide_requeue("42", "x", 3).requeue);
  EXPECT_NE(decide_requeue("42", "3", 3).reason.find("cap is 3"), std::string::npos);
}

TEST(SlurmClient, RunsArgumentVectorsVerbatim) {
  const CommandResult result = run_command({"printf", "%s|", "a b", "$(echo x)", "'"});
  EXPECT_EQ(result.exit_status, 0);
  EXPECT_EQ(result.output, "a b|$(echo x)|'|");
  EXPECT_EQ(run_command({"bash", "-c", "exit 5"}).exit_status, 5);
  EXPECT_THROW(run_command({"/nonexistent/riskstep-no-such-command"}), std::runtime_error);
}

TEST(SlurmClient, EnvironmentForSbatchDropsTheMpiRuntimeOnly) {
  setenv("PMIX_RANK", "0", 1);
  setenv("OMPI_MCA_ess", "singleton", 1);
  setenv("OMPI_COMM_WORLD_SIZE", "1", 1);
  setenv("OMPI_MCA_btl", "^openib", 1);  // the user's own setting
  setenv("RISKSTEP_TEST_KEPT", "a b'c", 1);
  const std::vector<std::string> env = environment_without_mpi_runtime();
  const auto has = [&](const std::string& entry) {
    return std::find(env.begin(), env.end(), entry) != env.end();
  };
  EXPECT_FALSE(has("PMIX_RANK=0"));
  EXPECT_FALSE(has("OMPI_MCA_ess=singleton"));
  EXPECT_FALSE(has("OMPI_COMM_WORLD_SIZE=1"));
  EXPECT_TRUE(has("OMPI_MCA_btl=^openib"));
  EXPECT_TRUE(has("RISKSTEP_TEST_KEPT=a b'c"));
  const CommandResult result = run_command({"printenv", "RISKSTEP_TEST_KEPT", "PMIX_RANK"}, &env);
  EXPECT_EQ(result.output, "a b'c\n");  // printenv fails on the missing one
  EXPECT_NE(result.exit_status, 0);
  for (const char* name :
       {"PMIX_RANK", "OMPI_MCA_ess", "OMPI_COMM_WORLD_SIZE", "OMPI_MCA_btl", "RISKSTEP_TEST_KEPT"})
    unsetenv(name);
}

}  // namespace
}  // namespace riskstep
