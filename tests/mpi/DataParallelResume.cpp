// Interrupting after an epoch and resuming from the checkpoint reaches exactly the parameters of
// an uninterrupted run, on 2 ranks.
#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <filesystem>

#include "jobs/train_stepnet.h"
#include "models/vision/idx_reader.h"
#include "pipeline/mpi_communicator.h"

namespace riskstep {
namespace {

TEST(DataParallelResume, ResumedRunEqualsUninterruptedRun) {
  if (!std::filesystem::exists(std::string(vision::kFashionMnistDir) +
                               "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  MpiCommunicator world(MPI_COMM_WORLD);
  int64_t pid = getpid();
  world.broadcast(&pid, 1, ElementType::int64, 0);  // one scratch directory for both ranks
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/riskstep-resume-" + std::to_string(pid);

  TrainSettings s;
  s.depth = 8;
  s.attention = "stepnet";
  s.epochs = 3;
  s.global_batch = 16;
  s.train_subset = 48;
  s.test_subset = 20;
  s.nsi_samples = 10;
  s.threads = 1;
  TrainControl control;
  control.checkpoint_dir = dir + "/whole";
  const TrainingRun whole = run_training(s, 9, "resume", &world, control);

  control.checkpoint_dir = dir + "/interrupted";
  TrainSettings first_part = s;
  first_part.stop_after_epochs = 1;
  const TrainingRun part = run_training(first_part, 9, "resume", &world, control);
  EXPECT_TRUE(std::filesystem::exists(control.checkpoint_dir + "/checkpoint.pt"));
  EXPECT_NE(part.final_parameters, whole.final_parameters);
  const TrainingRun resumed = run_training(s, 9, "resume", &world, control);
  EXPECT_EQ(std::get<int64_t>(resumed.result.attributes.at("resumed_at_epoch")), 1);
  EXPECT_EQ(resumed.final_parameters, whole.final_parameters);

  // A checkpoint of another run is ignored.
  const TrainingRun other = run_training(s, 9, "another-run", &world, control);
  EXPECT_EQ(std::get<int64_t>(other.result.attributes.at("resumed_at_epoch")), 0);
  world.barrier();
  if (world.rank() == 0) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace riskstep
