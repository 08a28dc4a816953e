// Where riskstep may write (never over what it did not write) and the output directory's lock.
#include "pipeline/store/output_path.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "pipeline/layout/out_dir_lock.h"
#include "pipeline/store/result_store.h"
#include "test_data.h"

namespace riskstep {
namespace {

std::string refusal(const std::string& path, bool force = false) {
  try {
    check_results_file_path(path, force);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(OutputPath, NeverReplacesWhatRiskstepDidNotWrite) {
  const std::string dir = testing::scratch_dir();
  const std::string text = dir + "/precious.txt";
  std::ofstream(text) << "precious";
  EXPECT_EQ(refusal(text), text +
                               ": exists and was not written by riskstep: use --force to "
                               "replace it, or another path");
  EXPECT_EQ(refusal(text, true), "(accepted)");
  const std::string ours = dir + "/results.h5";
  write_results_file(ours, collect_run_metadata("", 1), {});
  EXPECT_TRUE(is_riskstep_file(ours));
  EXPECT_EQ(refusal(ours), "(accepted)");
  EXPECT_EQ(refusal(dir + "/new/deeper/r.h5"), "(accepted)");  // parents are created
  EXPECT_NE(refusal(dir).find("is a directory"), std::string::npos);
  EXPECT_NE(refusal("/dev/null", true).find("not a regular file"), std::string::npos);
  ASSERT_EQ(mkfifo((dir + "/pipe").c_str(), 0600), 0);
  EXPECT_NE(refusal(dir + "/pipe", true).find("not a regular file"), std::string::npos);
  EXPECT_NE(refusal("/proc/riskstep.h5").find("cannot create files in /proc"), std::string::npos);
}

TEST(OutputPath, ASweepDirectoryIsNewEmptyOrRiskstepsOwn) {
  const std::string dir = testing::scratch_dir();
  auto refused = [](const std::string& path) {
    try {
      check_sweep_directory_path(path);
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(refused(dir + "/absent"), "(accepted)");
  std::filesystem::create_directories(dir + "/empty");
  EXPECT_EQ(refused(dir + "/empty"), "(accepted)");
  std::filesystem::create_directories(dir + "/foreign");
  std::ofstream(dir + "/foreign/notes.txt") << "mine";
  EXPECT_NE(refused(dir + "/foreign").find("not a riskstep sweep directory"), std::string::npos);
  std::ofstream(dir + "/foreign/sweep.json") << "{}";
  EXPECT_NE(refused(dir + "/foreign").find("not a riskstep sweep directory"), std::string::npos);
  EXPECT_NE(refused(dir + "/foreign/notes.txt").find("not a directory"), std::string::npos);
  std::filesystem::create_directories(dir + "/ours/slurm");  // as `riskstep slurm submit` leaves it
  std::filesystem::create_directories(dir + "/ours/tasks");
  std::ofstream(dir + "/ours/sweep.json") << "{}";
  EXPECT_EQ(refused(dir + "/ours"), "(accepted)");
}

// fcntl locks belong to a process, so the contender is a child process. Its exit status: 0 it got
// the lock, 1 it was refused (and the message named this process), 2 something else.
int contend(const std::string& dir, OutDirLock::Mode mode) {
  const pid_t child = fork();
  if (child == 0) {
    try {
      OutDirLock lock(dir, mode, false);
      _exit(0);
    } catch (const std::invalid_argument& error) {
      const std::string holder = "pid " + std::to_string(getppid());
      _exit(std::string(error.what()).find(holder) != std::string::npos ? 1 : 2);
    } catch (...) {
      _exit(2);
    }
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(OutDirLock, OneRunAtATimeButShardsTogether) {
  const std::string dir = testing::scratch_dir();
  {
    OutDirLock held(dir, OutDirLock::Mode::exclusive, false);
    EXPECT_EQ(contend(dir, OutDirLock::Mode::exclusive), 1);
    EXPECT_EQ(contend(dir, OutDirLock::Mode::shared), 1);
  }
  EXPECT_EQ(contend(dir, OutDirLock::Mode::exclusive), 0);  // released with its holder
  {
    OutDirLock shard(dir, OutDirLock::Mode::shared, false);
    EXPECT_EQ(contend(dir, OutDirLock::Mode::shared), 0);
    EXPECT_EQ(contend(dir, OutDirLock::Mode::exclusive), 1);
  }
}

}  // namespace
}  // namespace riskstep
