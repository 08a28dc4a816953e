// Sharding of a sweep over a job array, and the USR1 stop request.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "pipeline/process/stop_signal.h"
#include "pipeline/run/shard.h"
#include "test_data.h"

namespace riskstep {
namespace {

std::vector<Task> grid(int n) {
  std::vector<Task> tasks;
  for (int i = 0; i < n; ++i) tasks.push_back(testing::task_of("toy", {{"i", int64_t{i}}}, 7));
  return tasks;
}

TaskList listed(const std::vector<Task>& tasks) {
  TaskList list;
  for (const Task& task : tasks) list.add(task);
  return list;
}

TEST(SlurmShard, ParsesIndexOverCount) {
  const Shard s = parse_shard("2/5");
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 5u);
  for (const char* bad : {"", "1", "5/5", "1/0", "-1/3", "a/b", "1/3/4", " 1/3", "1/3\n"})
    EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
}

TEST(SlurmShard, ShardsPartitionTheGridEvenly) {
  const std::vector<Task> tasks = grid(23);
  for (size_t count : {1u, 2u, 3u, 7u, 23u, 40u}) {
    std::multiset<size_t> seen;
    for (size_t i = 0; i < count; ++i) {
      const std::vector<size_t> part = shard_task_indices(listed(tasks), {i, count});
      EXPECT_TRUE(std::is_sorted(part.begin(), part.end()));
      EXPECT_LE(part.size(), tasks.size() / count + 1);
      EXPECT_GE(part.size(), tasks.size() / count);
      seen.insert(part.begin(), part.end());
    }
    EXPECT_EQ(seen.size(), tasks.size()) << count;
    EXPECT_EQ(std::set<size_t>(seen.begin(), seen.end()).size(), tasks.size()) << count;
  }
}

TEST(SlurmShard, ShardDependsOnIdsNotOnListOrder) {
  std::vector<Task> tasks = grid(10);
  const std::vector<size_t> part = shard_task_indices(listed(tasks), {1, 3});
  std::set<std::string> ids;
  for (size_t i : part) ids.insert(tasks[i].id);
  std::reverse(tasks.begin(), tasks.end());
  std::set<std::string> reversed_ids;
  for (size_t i : shard_task_indices(listed(tasks), {1, 3})) reversed_ids.insert(tasks[i].id);
  EXPECT_EQ(ids, reversed_ids);
  // Position in id order: shard 1 of 3 holds the 2nd, 5th, 8th smallest ids.
  std::vector<std::string> sorted;
  for (const Task& t : tasks) sorted.push_back(t.id);
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(ids, (std::set<std::string>{sorted[1], sorted[4], sorted[7]}));
}

TEST(SlurmShard, Usr1RequestsAStopInsteadOfKilling) {
  clear_stop_request();
  {
    StopRequestGuard guard;
    EXPECT_FALSE(stop_requested());
    ASSERT_EQ(raise(SIGUSR1), 0);  // would end the process without the guard
    EXPECT_TRUE(stop_requested());
  }
  clear_stop_request();
  struct sigaction now {};
  sigaction(SIGUSR1, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);  // the guard restored the default
}

}  // namespace
}  // namespace riskstep
