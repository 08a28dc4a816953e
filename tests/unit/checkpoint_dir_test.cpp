// A checkpoint directory belongs to one task: another task's is refused with the first
// difference, a foreign directory is never taken over.
#include "pipeline/layout/checkpoint_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_data.h"

namespace riskstep {
namespace {

Task task_with(const std::string& attention, uint64_t spec_seed = 1) {
  return testing::task_of("train_stepnet", {{"attention", attention}, {"epochs", int64_t{2}}},
                          spec_seed);
}

std::string refusal(const std::string& dir, const Task& task) {
  try {
    claim_checkpoint_dir(dir, task, true);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(CheckpointDir, BelongsToOneTask) {
  const std::string dir = testing::scratch_dir() + "/ck";
  claim_checkpoint_dir(dir, task_with("none"), true);
  EXPECT_TRUE(std::filesystem::exists(dir + "/task.json"));
  EXPECT_EQ(refusal(dir, task_with("none")), "(accepted)");  // its own: fine, again
  EXPECT_EQ(refusal(dir, task_with("se")),
            dir + " holds the checkpoint of another task (" + dir +
                "/task.json: setting 'attention': none there, se here): use another checkpoint "
                "directory or remove it");
  EXPECT_NE(refusal(dir, task_with("none", 2)).find("(another spec seed)"), std::string::npos);
  const Task other_kind = testing::task_of("echo", task_with("none").params, 1);
  EXPECT_NE(refusal(dir, other_kind).find("kind 'train_stepnet' there, 'echo' here"),
            std::string::npos);
}

TEST(CheckpointDir, ForeignFilesAreNeverTakenOver) {
  const std::string dir = testing::scratch_dir() + "/mine";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/notes.txt") << "precious";
  EXPECT_NE(refusal(dir, task_with("none")).find("holds files but no task.json"),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir + "/notes.txt"));
  std::ofstream(dir + "/task.json") << "{ not json";
  EXPECT_NE(refusal(dir, task_with("none")).find("not a riskstep checkpoint record"),
            std::string::npos);
}

TEST(CheckpointDir, FirstDifferenceNamesAMissingSetting) {
  const Task a = testing::task_of("k", {{"x", int64_t{1}}}, 1);
  const Task b = testing::task_of("k", {{"x", int64_t{1}}, {"y", true}}, 1);
  EXPECT_EQ(first_difference(a, b), "setting 'y': not set there, true here");
  EXPECT_EQ(first_difference(a, a), "");
}

}  // namespace
}  // namespace riskstep
