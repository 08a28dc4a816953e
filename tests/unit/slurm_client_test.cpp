// sbatch answers, the requeue cap, and running commands without a shell.
#include <gtest/gtest.h>

#include <stdexcept>

#include "pipeline/slurm_client.h"

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

}  // namespace
}  // namespace riskstep
