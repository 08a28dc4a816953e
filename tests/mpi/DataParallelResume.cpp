// Stopping after an epoch and resuming from the checkpoint reaches exactly the parameters and
// the history of an uninterrupted run, on 2 ranks.
#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <filesystem>

#include "data/vision/idx_reader.h"
#include "jobs/train_stepnet/trainer.h"
#include "jobs/train_stepnet/training_checkpoint.h"
#include "mpi_scratch.h"
#include "pipeline/comm/mpi_communicator.h"
#include "train_fixtures.h"

namespace riskstep {
namespace {

TrainSettings tiny_run() {
  TrainSettings s = testing::tiny_training();
  s.epochs = 3;  // stopped after the first, resumed for the rest
  s.steps_per_epoch = 0;
  s.train_subset = 48;
  return s;
}

// Every history column that is computed, not measured (seconds, images/s and comm wait are).
void expect_same_history(const Table& a, const Table& b) {
  for (const char* name : {"epoch", "train_loss", "test_loss", "test_accuracy", "lr"})
    EXPECT_EQ(a.column(name), b.column(name)) << name;
}

TEST(DataParallelResume, ResumedRunEqualsUninterruptedRun) {
  RISKSTEP_REQUIRE_FASHION_MNIST();
  MpiCommunicator world(MPI_COMM_WORLD);
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  std::filesystem::create_directories(dir + "/whole");
  std::filesystem::create_directories(dir + "/interrupted");
  const TrainSettings s = tiny_run();
  TrainControl control;
  control.checkpoint_dir = dir + "/whole";
  const TrainingRun whole = run_training(s, 9, &world, control);
  ASSERT_TRUE(whole.finished);

  control.checkpoint_dir = dir + "/interrupted";
  TrainSettings first_part = s;
  first_part.stop_after_epochs = 1;
  const TrainingRun part = run_training(first_part, 9, &world, control);
  EXPECT_FALSE(part.finished);
  EXPECT_EQ(part.epochs_done, 1);
  EXPECT_TRUE(std::filesystem::exists(checkpoint_file(control.checkpoint_dir)));

  // Without resume, an existing checkpoint of the training is refused, not overwritten.
  TrainControl fresh = control;
  fresh.resume = false;
  EXPECT_THROW(run_training(s, 9, &world, fresh), std::invalid_argument);

  const TrainingRun resumed = run_training(s, 9, &world, control);
  ASSERT_TRUE(resumed.finished);
  EXPECT_EQ(std::get<int64_t>(resumed.result.attributes.at("resumed_at_epoch")), 1);
  EXPECT_EQ(resumed.final_parameters, whole.final_parameters);
  EXPECT_EQ(resumed.steps, whole.steps);
  const Table& history = resumed.result.tables.at("history");
  EXPECT_EQ(history.rows(), 3u);  // every epoch, also those run before the resume
  expect_same_history(history, whole.result.tables.at("history"));
  EXPECT_EQ(resumed.result.attributes.at("final_parameters_sha256"),
            whole.result.attributes.at("final_parameters_sha256"));

  // A truncated checkpoint is one line naming the file.
  world.barrier();
  if (world.rank() == 0) std::filesystem::resize_file(checkpoint_file(dir + "/whole"), 100);
  world.barrier();
  control.checkpoint_dir = dir + "/whole";
  try {
    run_training(s, 9, &world, control);
    ADD_FAILURE() << "a truncated checkpoint was accepted";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(checkpoint_file(dir + "/whole")), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace riskstep
