// Whole sweeps with the "echo" job (tests/kinds/echo): rank-count independence, failures and
// --retry-failed, resume, refusing a different sweep, groups of ranks, bad input, run settings.
#include "pipeline/run/sweep.h"
#include "pipeline/store/out_layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "kinds/echo/echo_job.h"
#include "mpi_scratch.h"
#include "pipeline/process/stop_signal.h"
#include "pipeline/store/record_log.h"
#include "pipeline/store/result_store.h"
#include "world_rank.h"

namespace riskstep {
namespace {

namespace fs = std::filesystem;

using testing::world_rank;

struct Outcome {
  int status = -1;
  std::string out, err;
};

Outcome sweep(MPI_Comm comm, const std::string& spec, const std::string& dir,
              std::vector<std::string> overrides = {}, bool retry_failed = false,
              bool force = false, bool dry_run = false) {
  SweepOptions options;
  options.spec_path = spec;
  options.out_dir = dir;
  options.overrides = std::move(overrides);
  options.retry_failed = retry_failed;
  options.force = force;
  options.dry_run = dry_run;
  options.progress = "never";
  std::ostringstream out, err;
  Outcome outcome;
  outcome.status = run_sweep(comm, options, echo_registry(), out, err);
  outcome.out = out.str();
  outcome.err = err.str();
  return outcome;
}

std::string write_spec(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  if (world_rank() == 0) std::ofstream(path) << text;
  MPI_Barrier(MPI_COMM_WORLD);
  return path;
}

std::vector<std::string> log_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const char* kGridSpec = R"(kind = "echo"
seed = 11
[fixed]
work_ms = 2
[grid]
model = ["hs", "garch", "mdn"]
period = ["calm", "covid"]
seed = "0-3"
[[drop_axes]]
when = { model = ["hs", "garch"] }
axes = ["seed"]
)";

// Everything a task computed (not where or how long): must not depend on the rank count.
void expect_same_computation(const TaskRecord& a, const TaskRecord& b) {
  EXPECT_EQ(a.task.params, b.task.params);
  EXPECT_EQ(a.task.seed, b.task.seed);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.result.attributes, b.result.attributes);
  EXPECT_EQ(a.result.columns, b.result.columns);
  for (const auto& [name, m] : a.result.matrices)
    EXPECT_EQ(m.values, b.result.matrices.at(name).values);
  for (const auto& [name, t] : a.result.tables)
    EXPECT_EQ(t.columns, b.result.tables.at(name).columns);
  EXPECT_EQ(a.result.summary.columns, b.result.summary.columns);
}

TEST(sweep, OneAndTwoRanksGiveIdenticalTaskData) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec = write_spec(dir, "grid.toml", kGridSpec);
  Outcome alone;
  if (world_rank() == 0) alone = sweep(MPI_COMM_SELF, spec, dir + "/one");
  MPI_Barrier(MPI_COMM_WORLD);
  const Outcome together = sweep(MPI_COMM_WORLD, spec, dir + "/two");
  if (world_rank() != 0) return;
  ASSERT_EQ(alone.status, 0) << alone.out << alone.err;
  ASSERT_EQ(together.status, 0) << together.out << together.err;
  const auto one = read_results_file(dir + "/one/results.h5");
  const auto two = read_results_file(dir + "/two/results.h5");
  ASSERT_EQ(one.size(), 4u + 8u);  // hs, garch x 2 periods; mdn x 2 periods x 4 seeds
  ASSERT_EQ(one.size(), two.size());
  std::set<int> ranks_used;
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].task.id, two[i].task.id);
    expect_same_computation(one[i], two[i]);
    ranks_used.insert(two[i].rank);
  }
  EXPECT_EQ(ranks_used.size(), 2u) << "both ranks should have run tasks";
  // The merged summary has the same rows too (h5diff compares the datasets byte for byte).
  EXPECT_EQ(read_summary_table(dir + "/one/results.h5").columns,
            read_summary_table(dir + "/two/results.h5").columns);
  const std::string diff =
      "h5diff -q " + dir + "/one/results.h5 " + dir + "/two/results.h5 /summary /summary";
  EXPECT_EQ(std::system(diff.c_str()), 0) << diff;
}

TEST(sweep, FailingTaskIsReportedAndOnlyItIsRetried) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec = write_spec(dir, "grid.toml", kGridSpec);
  const std::string flag = dir + "/fail.flag";
  const std::string log = dir + "/runs.log";
  if (world_rank() == 0) std::ofstream(flag) << "fail\n";
  MPI_Barrier(MPI_COMM_WORLD);
  const std::vector<std::string> overrides = {"fail_if=garch", "fail_flag_file=" + flag,
                                              "log_file=" + log};
  const Outcome first = sweep(MPI_COMM_WORLD, spec, dir + "/out", overrides);
  EXPECT_EQ(first.status, 1);
  if (world_rank() == 0) {
    EXPECT_NE(first.out.find("10 ok, 2 failed"), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("model 'garch' was asked to fail"), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("--retry-failed"), std::string::npos) << first.out;
    EXPECT_EQ(log_lines(log).size(), 10u);
    const auto records = read_results_file(dir + "/out/results.h5");
    size_t failed = 0;
    for (const auto& r : records)
      if (r.status == "failed") {
        ++failed;
        EXPECT_EQ(std::get<std::string>(r.task.params.at("model")), "garch");
        EXPECT_EQ(r.error, "model 'garch' was asked to fail");
      }
    EXPECT_EQ(failed, 2u);
    EXPECT_EQ(read_summary_table(dir + "/out/results.h5").rows(), 10u);  // ok tasks only
  }

  // A plain rerun skips finished tasks, failed ones included, and still reports them.
  const Outcome again = sweep(MPI_COMM_WORLD, spec, dir + "/out", overrides);
  EXPECT_EQ(again.status, 1);
  if (world_rank() == 0) {
    EXPECT_NE(again.out.find("(0 run now, 12 already done)"), std::string::npos) << again.out;
    EXPECT_EQ(log_lines(log).size(), 10u);
    fs::remove(flag);
  }
  MPI_Barrier(MPI_COMM_WORLD);

  const Outcome retried = sweep(MPI_COMM_WORLD, spec, dir + "/out", overrides, true);
  EXPECT_EQ(retried.status, 0) << retried.out << retried.err;
  if (world_rank() == 0) {
    const auto lines = log_lines(log);
    ASSERT_EQ(lines.size(), 12u);
    const auto records = read_results_file(dir + "/out/results.h5");
    std::set<std::string> garch_ids;
    for (const auto& r : records) {
      EXPECT_EQ(r.status, "ok");
      if (std::get<std::string>(r.task.params.at("model")) == "garch") garch_ids.insert(r.task.id);
    }
    EXPECT_EQ(std::set<std::string>(lines.begin() + 10, lines.end()), garch_ids);
  }
}

TEST(sweep, NonFiniteResultIsAFailure) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec = write_spec(dir, "grid.toml", kGridSpec);
  const Outcome outcome = sweep(MPI_COMM_WORLD, spec, dir + "/out", {"nan_if=hs"});
  EXPECT_EQ(outcome.status, 1);
  if (world_rank() == 0) {
    EXPECT_NE(outcome.out.find("non-finite values"), std::string::npos) << outcome.out;
  }
}

// The oldest log of a finished sweep and the record frames in it.
std::pair<std::string, std::vector<LogEntry>> first_log(const std::string& out) {
  std::vector<std::string> logs;
  for (const auto& entry : fs::directory_iterator(out_layout::logs_dir(out)))
    logs.push_back(entry.path().string());
  std::sort(logs.begin(), logs.end());
  return {logs.at(0), scan_record_log(logs.at(0)).entries};
}

void flip_byte(const std::string& path, uint64_t offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(offset);
  const char byte = static_cast<char>(file.get() ^ 0x10);
  file.seekp(offset);
  file.put(byte);
}

// A torn last frame (a kill -9 mid-append) and a flipped bit inside another record: both are
// rejected by their checksums and only those two tasks run again; a part file with a flipped
// bit is made again from its log; temporaries of dead writers are removed.
TEST(sweep, ResumeRecomputesOnlyTornOrDamagedRecords) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec = write_spec(dir, "grid.toml", kGridSpec);
  const std::string log = dir + "/runs.log";
  const std::string out = dir + "/out";
  ASSERT_EQ(sweep(MPI_COMM_WORLD, spec, out, {"log_file=" + log}).status, 0);
  std::vector<std::string> broken;
  std::string part;
  if (world_rank() == 0) {
    const auto [path, entries] = first_log(out);
    ASSERT_GE(entries.size(), 2u);
    broken = {entries.front().id, entries.back().id};
    flip_byte(path, entries.front().offset + entries.front().size - 3);
    fs::resize_file(path, entries.back().offset + entries.back().size / 2);
    for (const auto& entry : fs::directory_iterator(out_layout::parts_dir(out)))
      part = entry.path().string();
    flip_byte(part, fs::file_size(part) / 2);
    std::ofstream(out_layout::parts_dir(out) + "/x.h5.tmp.gone.12345") << "left by a kill";
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const Outcome resumed = sweep(MPI_COMM_WORLD, spec, out, {"log_file=" + log});
  EXPECT_EQ(resumed.status, 0) << resumed.err;
  if (world_rank() != 0) return;
  EXPECT_NE(resumed.out.find("(2 run now, 10 already done)"), std::string::npos) << resumed.out;
  const auto lines = log_lines(log);
  ASSERT_EQ(lines.size(), 14u);
  EXPECT_EQ(std::set<std::string>(lines.begin() + 12, lines.end()),
            std::set<std::string>(broken.begin(), broken.end()));
  EXPECT_FALSE(fs::exists(out_layout::parts_dir(out) + "/x.h5.tmp.gone.12345"));
  EXPECT_EQ(read_results_file(out + "/results.h5").size(), 12u);
  verify_results_file(out + "/results.h5");
}

TEST(sweep, ADifferentSpecIsRefusedUnlessForced) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec = write_spec(dir, "grid.toml", kGridSpec);
  ASSERT_EQ(sweep(MPI_COMM_WORLD, spec, dir + "/out").status, 0);
  const Outcome refused = sweep(MPI_COMM_WORLD, spec, dir + "/out", {"grid.period=calm"});
  EXPECT_EQ(refused.status, 2);
  if (world_rank() == 0) {
    EXPECT_NE(refused.err.find("holds a different sweep"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  }
  const Outcome forced =
      sweep(MPI_COMM_WORLD, spec, dir + "/out", {"grid.period=calm"}, false, true);
  EXPECT_EQ(forced.status, 0) << forced.err;
  if (world_rank() == 0) {  // the calm tasks were already there: nothing to recompute
    EXPECT_NE(forced.out.find("(0 run now, 6 already done)"), std::string::npos) << forced.out;
  }
}

TEST(sweep, GroupTasksRunOnTwoRanks) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec = write_spec(
      dir, "group.toml", "kind = \"echo\"\nranks_per_task = 2\n[grid]\nmodel = [\"a\", \"b\"]\n");
  const Outcome outcome = sweep(MPI_COMM_WORLD, spec, dir + "/out");
  EXPECT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  if (world_rank() != 0) return;
  for (const auto& record : read_results_file(dir + "/out/results.h5")) {
    EXPECT_EQ(record.task.ranks, 2);
    EXPECT_EQ(std::get<double>(record.result.attributes.at("group_sum")), 3.0);  // 1 + 2
  }
  // On one rank the same spec is bad input, not a hang.
  const Outcome alone = sweep(MPI_COMM_SELF, spec, dir + "/alone");
  EXPECT_EQ(alone.status, 2);
  EXPECT_NE(alone.err.find("ranks_per_task = 2 but the sweep runs on 1 rank"), std::string::npos)
      << alone.err;
}

TEST(sweep, BadInputExitsWithTwoAndOneLine) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::map<std::string, std::string> cases = {
      {"kind = \"nope\"\n", "bad.toml:1: key 'kind': unknown job kind 'nope' (known: echo)"},
      {"kind = \"echo\"\n[grid]\nmodel = [\"hs\", \"invalid\"]\n",
       "setting 'model': 'invalid' is not a model"},
      {"kind = \"echo\"\n[grid]\nmodel = [\"hs\"]\nmdoel = 3\n", "bad.toml:4: key 'grid.mdoel'"},
      {"kind = \"echo\"\nsed = 1\n", "bad.toml:2: key 'sed': unknown key"},
  };
  for (const auto& [text, expected] : cases) {
    const std::string spec = write_spec(dir, "bad.toml", text);
    SweepOptions options;
    options.spec_path = spec;
    options.out_dir = dir + "/out";
    std::ostringstream out, err;
    // Run from the spec's directory so the file name in messages is short.
    const auto cwd = fs::current_path();
    fs::current_path(dir);
    options.spec_path = "bad.toml";
    const int status = run_sweep(MPI_COMM_WORLD, options, echo_registry(), out, err);
    fs::current_path(cwd);
    EXPECT_EQ(status, 2) << err.str();
    if (world_rank() == 0 && status == 2) {
      EXPECT_NE(err.str().find(expected), std::string::npos) << err.str();
      const std::string message = err.str();
      EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
    }
    if (world_rank() == 0) fs::remove_all(dir + "/out");
    MPI_Barrier(MPI_COMM_WORLD);
  }
}

TEST(sweep, DryRunListsTasksWithTheirState) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec = write_spec(dir, "grid.toml", kGridSpec);
  const Outcome listed = sweep(MPI_COMM_WORLD, spec, dir + "/out", {}, false, false, true);
  EXPECT_EQ(listed.status, 0);
  if (world_rank() == 0) {
    EXPECT_NE(listed.out.find("12 tasks (0 done, 0 failed, 12 pending)"), std::string::npos)
        << listed.out;
    EXPECT_NE(listed.out.find("echo model=garch period=covid [work_ms=2]"), std::string::npos)
        << listed.out;
    EXPECT_FALSE(fs::exists(dir + "/out"));  // a dry run writes nothing
  }
}

TEST(sweep, ThousandTrivialTasksAllStoredOnce) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec =
      write_spec(dir, "many.toml", "kind = \"echo\"\n[grid]\nmodel = [\"m\"]\ni = \"0-999\"\n");
  const std::string log = dir + "/runs.log";
  const Outcome outcome = sweep(MPI_COMM_WORLD, spec, dir + "/out", {"log_file=" + log});
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  if (world_rank() != 0) return;
  const auto lines = log_lines(log);
  EXPECT_EQ(lines.size(), 1000u);
  EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()).size(), 1000u);
  const auto records = read_results_file(dir + "/out/results.h5");
  EXPECT_EQ(records.size(), 1000u);
  std::set<int64_t> seen;
  for (const auto& r : records) seen.insert(std::get<int64_t>(r.task.params.at("i")));
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(read_summary_table(dir + "/out/results.h5").rows(), 1000u);
}

TEST(sweep, BatchedTasksRunTogetherAndFailAlone) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec = write_spec(dir, "grid.toml", kGridSpec);
  const std::string log = dir + "/runs.log";
  const Outcome outcome = sweep(MPI_COMM_WORLD, spec, dir + "/out",
                                {"batch_by=model", "log_file=" + log, "nan_if=garch"});
  EXPECT_EQ(outcome.status, 1);
  if (world_rank() != 0) return;
  std::multiset<std::string> batches;
  size_t runs = 0;
  for (const auto& line : log_lines(log)) {
    if (line.rfind("batch ", 0) == 0)
      batches.insert(line);
    else
      ++runs;
  }
  // hs: 2 periods, garch: 2 periods, mdn: 2 periods x 4 seeds: one run_batch call per model.
  EXPECT_EQ(batches, (std::multiset<std::string>{"batch 2", "batch 2", "batch 8"}));
  EXPECT_EQ(runs, 12u);
  const auto records = read_results_file(dir + "/out/results.h5");
  ASSERT_EQ(records.size(), 12u);
  for (const auto& r : records)
    EXPECT_EQ(r.status,
              std::get<std::string>(r.task.params.at("model")) == "garch" ? "failed" : "ok");
}

TEST(sweep, CostlierWorkUnitsStartFirst) {
  // One rank runs the units one after another, so its log shows the order they were handed out.
  const std::string dir = testing::scratch_dir();
  std::ofstream(dir + "/costs.toml") << R"(kind = "echo"
[grid]
cost = [1, 8, 0.5, 3, 8.5]
model = ["a", "b"]
)";
  auto costs_in_run_order = [&](const std::string& name, std::vector<std::string> overrides) {
    overrides.push_back("log_file=" + dir + "/" + name + ".log");
    const Outcome outcome = sweep(MPI_COMM_SELF, dir + "/costs.toml", dir + "/" + name, overrides);
    EXPECT_EQ(outcome.status, 0) << outcome.err;
    std::map<std::string, double> cost_of_id;
    for (const auto& record : read_results_file(dir + "/" + name + "/results.h5"))
      cost_of_id[record.task.id] = std::get<double>(record.task.params.at("cost"));
    std::vector<double> order;
    for (const auto& line : log_lines(dir + "/" + name + ".log"))
      if (line.rfind("batch ", 0) != 0) order.push_back(cost_of_id.at(line));
    return order;
  };
  const std::vector<double> costliest_first = {8.5, 8.5, 8, 8, 3, 3, 1, 1, 0.5, 0.5};
  EXPECT_EQ(costs_in_run_order("alone", {}), costliest_first);
  // Batched by cost: five units of two tasks, each unit costs the sum of its tasks.
  EXPECT_EQ(costs_in_run_order("batched", {"batch_by=cost"}), costliest_first);
}

TEST(sweep, ShardsCoverTheGridOnceAndMergeLikeADirectRun) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec = write_spec(dir, "grid.toml", kGridSpec);
  ASSERT_EQ(sweep(MPI_COMM_WORLD, spec, dir + "/direct").status, 0);
  size_t run = 0;
  for (int shard = 0; shard < 3; ++shard) {
    SweepOptions options;
    options.spec_path = spec;
    options.out_dir = dir + "/sharded";
    options.shard = std::to_string(shard) + "/3";
    options.progress = "never";
    std::ostringstream out, err;
    EXPECT_EQ(run_sweep(MPI_COMM_WORLD, options, echo_registry(), out, err), 0) << err.str();
    if (world_rank() == 0) {
      EXPECT_NE(out.str().find("sweep: shard " + options.shard + ": 4 tasks: 4 ok"),
                std::string::npos)
          << out.str();
      run += 4;
    }
    // A shard writes no results.h5: the merge does.
    if (world_rank() == 0 && shard <= 1) {  // (before the partial merge below)
      EXPECT_FALSE(fs::exists(dir + "/sharded/results.h5"));
    }
    if (shard == 1) {  // merging before the last shard ran reports what is missing
      SweepOptions merge = options;
      merge.shard.clear();
      merge.merge_only = true;
      std::ostringstream merge_out, merge_err;
      EXPECT_EQ(run_sweep(MPI_COMM_WORLD, merge, echo_registry(), merge_out, merge_err), 1);
      if (world_rank() == 0) {
        EXPECT_NE(merge_out.str().find("8 ok, 0 failed, 4 missing"), std::string::npos)
            << merge_out.str();
        EXPECT_NE(merge_out.str().find("  missing "), std::string::npos) << merge_out.str();
      }
    }
  }
  SweepOptions merge;
  merge.spec_path = spec;
  merge.out_dir = dir + "/sharded";
  merge.merge_only = true;
  merge.progress = "never";
  std::ostringstream out, err;
  EXPECT_EQ(run_sweep(MPI_COMM_WORLD, merge, echo_registry(), out, err), 0) << out.str();
  if (world_rank() != 0) return;
  EXPECT_EQ(run, 12u);
  EXPECT_NE(out.str().find("12 ok, 0 failed (0 run now, 12 already done)"), std::string::npos)
      << out.str();
  const auto direct = read_results_file(dir + "/direct/results.h5");
  const auto sharded = read_results_file(dir + "/sharded/results.h5");
  ASSERT_EQ(direct.size(), sharded.size());
  for (size_t i = 0; i < direct.size(); ++i) {
    EXPECT_EQ(direct[i].task.id, sharded[i].task.id);
    expect_same_computation(direct[i], sharded[i]);
  }
}

TEST(sweep, StopRequestFinishesTheRunningTaskAndExitsThree) {
  const std::string dir = testing::shared_scratch_dir(MPI_COMM_WORLD);
  const std::string spec = write_spec(dir, "grid.toml", kGridSpec);
  if (world_rank() != 0) return;  // a 1-rank sweep: the stop request comes from inside a task
  const std::string log = dir + "/runs.log";
  // Tasks run in spec order on one rank: hs calm, hs covid, garch calm, ... The stop request
  // arrives while "garch" runs: it and the tasks before it finish, nothing else starts.
  const Outcome stopped =
      sweep(MPI_COMM_SELF, spec, dir + "/out", {"stop_if=garch", "log_file=" + log});
  clear_stop_request();
  EXPECT_EQ(stopped.status, kStoppedEarlyStatus) << stopped.out << stopped.err;
  EXPECT_NE(stopped.out.find("stopped on request (SIGUSR1): 9 tasks not run"), std::string::npos)
      << stopped.out;
  EXPECT_EQ(log_lines(log).size(), 3u);
  EXPECT_EQ(read_results_file(dir + "/out/results.h5").size(), 3u);  // what is done is merged
  const Outcome resumed =
      sweep(MPI_COMM_SELF, spec, dir + "/out", {"stop_if=none", "log_file=" + log});
  EXPECT_EQ(resumed.status, 2);  // a different --set is a different sweep: refused
  const Outcome again =
      sweep(MPI_COMM_SELF, spec, dir + "/out", {"stop_if=garch", "log_file=" + log});
  clear_stop_request();
  // garch covid requests a stop again after it ran; the rest of the grid runs next time.
  EXPECT_EQ(again.status, kStoppedEarlyStatus) << again.out;
  EXPECT_EQ(log_lines(log).size(), 4u);
}

}  // namespace
}  // namespace riskstep
