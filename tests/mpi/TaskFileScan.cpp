// scan_task_files_together (every rank reads a share, rank 0 gets all) against rank 0 reading
// every file itself: the same records in the same places, the same problems.
#include "pipeline/layout/task_file_scan.h"
#include "pipeline/store/out_layout.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "mpi/mpi_scratch.h"
#include "pipeline/layout/out_dir.h"
#include "pipeline/run/sweep.h"
#include "pipeline/store/record_digest.h"
#include "pipeline/store/result_store.h"
#include "test_data.h"

namespace riskstep {
namespace {

TaskRecord echo_record(int64_t i) {
  TaskRecord record;
  record.task = testing::task_of("echo", {{"i", i}}, 11);
  record.result.columns["values"] = std::vector<double>(static_cast<size_t>(i), 0.5 * i);
  record.result.summary.add("i", std::vector<int64_t>{i});
  record.host = "host" + std::to_string(i);
  return record;
}

TEST(TaskFileScan, EveryRankReadingEqualsRankZeroReadingAll) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD) + "/scan";
  std::vector<Task> tasks;
  for (int64_t i = 0; i < 9; ++i) tasks.push_back(echo_record(i).task);
  if (rank == 0) {
    std::filesystem::create_directories(dir + "/tasks");
    for (int64_t i = 0; i < 9; ++i)
      if (i != 4)
        write_task_file(out_layout::task_file(dir, tasks[i].id), collect_run_metadata("", 1),
                        echo_record(i));  // task 4: no file (not run yet)
    std::ofstream(out_layout::task_file(dir, tasks[6].id)) << "not hdf5";  // a damaged file
    std::filesystem::copy_file(out_layout::task_file(dir, tasks[1].id),
                               out_layout::task_file(dir, tasks[7].id),
                               std::filesystem::copy_options::overwrite_existing);  // another's
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const std::vector<size_t> indices = {8, 0, 1, 2, 3, 4, 5, 6, 7};
  const ScannedTaskFiles together = scan_task_files_together(MPI_COMM_WORLD, dir, tasks, indices);
  if (rank != 0) return;
  std::vector<Task> listed;
  for (size_t i : indices) listed.push_back(tasks[i]);
  std::vector<std::string> problems;
  const auto alone = scan_task_files(dir, listed, &problems);
  ASSERT_EQ(together.records.size(), alone.size());
  for (size_t k = 0; k < alone.size(); ++k) {
    ASSERT_EQ(together.records[k].has_value(), alone[k].has_value()) << k;
    if (alone[k]) {
      EXPECT_EQ(record_digest(*together.records[k]), record_digest(*alone[k])) << k;
    }
  }
  EXPECT_FALSE(together.records[5]);  // task 4
  EXPECT_FALSE(together.records[7]);  // damaged
  EXPECT_FALSE(together.records[8]);  // another task's file
  std::sort(problems.begin(), problems.end());
  EXPECT_EQ(together.problems, problems);
  EXPECT_EQ(problems.size(), 2u);
}

}  // namespace
}  // namespace riskstep
