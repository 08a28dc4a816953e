// The farm on its own: every task exactly once, both ranks busy, groups of ranks.
#include "pipeline/run/farm.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>

#include "world_rank.h"

namespace riskstep {
namespace {

using testing::world_rank;

// Every rank's list of (index, world rank) it ran, gathered on rank 0.
std::vector<int64_t> gather_runs(const std::vector<int64_t>& mine) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int count = static_cast<int>(mine.size());
  std::vector<int> counts(size);
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> offsets(size, 0);
  std::partial_sum(counts.begin(), counts.end() - 1, offsets.begin() + 1);
  std::vector<int64_t> all(world_rank() == 0 ? offsets.back() + counts.back() : 0);
  MPI_Gatherv(mine.data(), count, MPI_INT64_T, all.data(), counts.data(), offsets.data(),
              MPI_INT64_T, 0, MPI_COMM_WORLD);
  return all;
}

void check_thousand(bool coordinator_works) {
  const size_t n = 1000;
  std::vector<int> ranks(n, 1);
  std::vector<size_t> pending(n);
  std::iota(pending.begin(), pending.end(), 0);
  std::mutex mutex;
  std::vector<int64_t> ran;  // index * 16 + world rank
  FarmOptions options;
  options.coordinator_works = coordinator_works;
  size_t progress_calls = 0;
  options.on_progress = [&](size_t, size_t) { ++progress_calls; };
  const FarmCounts counts = run_farm(
      MPI_COMM_WORLD, ranks, pending,
      [&](size_t index, const FarmSlot& slot) {
        // Not quite trivial, so a worker's first request arrives before rank 0 drained the queue.
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        std::lock_guard<std::mutex> lock(mutex);
        ran.push_back(static_cast<int64_t>(index) * 16 + slot.world_rank);
        return index % 100 != 7;  // 10 "failures"
      },
      options);
  const auto all = gather_runs(ran);
  if (world_rank() != 0) return;
  EXPECT_EQ(counts.done, n);
  EXPECT_EQ(counts.failed, 10u);
  EXPECT_GT(progress_calls, 0u);
  std::vector<int> times(n, 0);
  std::vector<size_t> per_rank(16, 0);
  for (int64_t entry : all) {
    ++times[entry / 16];
    ++per_rank[entry % 16];
  }
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(times[i], 1) << "task " << i;
  EXPECT_GT(per_rank[1], 0u);  // the worker took part
  if (coordinator_works)
    EXPECT_GT(per_rank[0], 0u);
  else
    EXPECT_EQ(per_rank[0], 0u);
}

TEST(farm, ThousandTrivialTasksNoneLostNoneDuplicated) {
  check_thousand(true);
}

TEST(farm, ThousandTasksWithALightCoordinator) {
  check_thousand(false);
}

TEST(farm, LongAndShortTasksShareTheRanks) {
  // 2 long tasks first, then 40 short ones: dynamic scheduling hands the second long task to the
  // other rank at once (static halves would queue both on one rank behind each other). Checked by
  // where the tasks ran, not by a wall-clock bound, which a loaded machine breaks.
  std::vector<int> ranks(42, 1);
  std::vector<size_t> pending(42);
  std::iota(pending.begin(), pending.end(), 0);
  std::vector<int64_t> ran;
  std::mutex mutex;
  run_farm(MPI_COMM_WORLD, ranks, pending, [&](size_t index, const FarmSlot& slot) {
    std::this_thread::sleep_for(std::chrono::milliseconds(index < 2 ? 300 : 10));
    std::lock_guard<std::mutex> lock(mutex);
    ran.push_back(static_cast<int64_t>(index) * 16 + slot.world_rank);
    return true;
  });
  const auto all = gather_runs(ran);
  if (world_rank() != 0) return;
  EXPECT_EQ(all.size(), 42u);
  // The two long tasks ran on different ranks.
  std::vector<int> long_ranks;
  for (int64_t entry : all)
    if (entry / 16 < 2) long_ranks.push_back(static_cast<int>(entry % 16));
  ASSERT_EQ(long_ranks.size(), 2u);
  EXPECT_NE(long_ranks[0], long_ranks[1]);
}

TEST(farm, GroupTasksRunOnAllRanksOfTheirGroup) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::vector<int> ranks = {1, 2, 1, 2, 2, 1};
  std::vector<size_t> pending = {0, 1, 2, 3, 4, 5};
  std::vector<int64_t> ran;
  std::mutex mutex;
  std::vector<std::string> problems;
  run_farm(MPI_COMM_WORLD, ranks, pending, [&](size_t index, const FarmSlot& slot) {
    if (slot.group_size != ranks[index]) problems.push_back("wrong group size");
    if (slot.group_size > 1) {
      int members = 0, one = 1;
      MPI_Allreduce(&one, &members, 1, MPI_INT, MPI_SUM, slot.group_comm);
      if (members != 2) problems.push_back("group of " + std::to_string(members));
    }
    std::lock_guard<std::mutex> lock(mutex);
    ran.push_back(static_cast<int64_t>(index) * 16 + slot.rank_in_group);
    return true;
  });
  EXPECT_TRUE(problems.empty()) << problems.front();
  const auto all = gather_runs(ran);
  if (world_rank() != 0) return;
  std::vector<int> times(6, 0);
  for (int64_t entry : all) ++times[entry / 16];
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(times[i], ranks[i]) << "task " << i;
}

// Ranks that divide into groups all work: at -np 4 (mpi.farm_groups) two pairs run two-rank tasks
// side by side, nobody idles as a coordinator, and rank 0 counts every group's tasks; at -np 2
// the one pair runs them all.
TEST(farm, EveryGroupWorksWhenTheRanksDivideIntoGroups) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const size_t n = 8;
  std::vector<int> ranks(n, 2);
  std::vector<size_t> pending(n);
  std::iota(pending.begin(), pending.end(), 0);
  std::vector<int64_t> ran;  // index * 16 + world rank of the group's leader
  FarmOptions options;
  options.weights.assign(n, 3);  // a work unit of 3 tasks
  options.weights[5] = 1;
  size_t last_done = 0;
  options.on_progress = [&](size_t done, size_t) { last_done = done; };
  const FarmCounts counts = run_farm(
      MPI_COMM_WORLD, ranks, pending,
      [&](size_t index, const FarmSlot& slot) {
        if (slot.rank_in_group == 0) ran.push_back(int64_t(index) * 16 + slot.world_rank);
        return index != 6;
      },
      options);
  const auto all = gather_runs(ran);
  if (world_rank() != 0) return;
  ASSERT_EQ(all.size(), n);
  std::set<int> leaders;
  std::vector<int> times(n, 0);
  for (int64_t entry : all) {
    leaders.insert(int(entry % 16));
    ++times[size_t(entry / 16)];
  }
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(times[i], 1) << "task " << i;
  EXPECT_EQ(int(leaders.size()), size / 2);  // every group led some task
  EXPECT_EQ(counts.done, 7u * 3u + 1u);
  EXPECT_EQ(counts.failed, 3u);
  EXPECT_EQ(last_done, counts.done);
}

TEST(farm, TaskNeedingMoreRanksThanTheWorldIsRejected) {
  std::vector<int> ranks = {1, 64};
  EXPECT_THROW(
      run_farm(MPI_COMM_WORLD, ranks, {0, 1}, [](size_t, const FarmSlot&) { return true; }),
      std::invalid_argument);
}

TEST(farm, OneRankCommunicatorRunsEverythingInline) {
  std::vector<int> ranks(20, 1);
  std::vector<size_t> pending(20);
  std::iota(pending.begin(), pending.end(), 0);
  size_t runs = 0;
  const FarmCounts counts = run_farm(MPI_COMM_SELF, ranks, pending, [&](size_t, const FarmSlot&) {
    ++runs;
    return true;
  });
  EXPECT_EQ(runs, 20u);
  EXPECT_EQ(counts.done, 20u);
}

}  // namespace
}  // namespace riskstep
