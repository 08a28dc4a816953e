#include "pipeline/store/result_store.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "pipeline/store/summary_table.h"
#include "record_expectations.h"
#include "test_data.h"

namespace riskstep {
namespace {

TaskRecord sample_record(const std::string& model, double scale) {
  TaskRecord record;
  record.task = testing::task_of(
      "toy", {{"model", model}, {"level", 0.01}, {"seed", int64_t{3}}, {"flag", true}}, 42);
  record.result.attributes["data_source"] = std::string("abc123");
  record.result.attributes["n_obs"] = int64_t{3};
  record.result.attributes["score"] = 0.5 * scale;
  record.result.columns["dates"] = std::vector<std::string>{"2020-01-01", "2020-01-02", "ü"};
  record.result.columns["loss"] = std::vector<double>{1.5 * scale, -2.0, 3.25};
  record.result.columns["hits/level_0.01"] = std::vector<int64_t>{0, 1, 0};
  Matrix mixture;
  mixture.rows = 3;
  mixture.cols = 2;
  mixture.values = {1, 2, 3, 4, 5, 6};
  mixture.col_names = {"mu", "sigma"};
  record.result.matrices["mixture/params"] = mixture;
  Table tests;
  tests.add("test", std::vector<std::string>{"kupiec", "christoffersen"})
      .add("p_value", std::vector<double>{0.25, 0.75})
      .add("df", std::vector<int64_t>{1, 2});
  record.result.tables["tests"] = tests;
  record.result.summary.add("var_level", std::vector<double>{0.01, 0.05})
      .add("hits", std::vector<int64_t>{4, 12});
  record.wall_seconds = 1.25;
  record.rank = 1;
  return record;
}

TEST(ResultStore, ResultsFileRoundTripsEveryResultPart) {
  const std::string dir = testing::scratch_dir();
  const std::string path = dir + "/results.h5";
  const TaskRecord record = sample_record("hs", 1.0);
  RunMetadata metadata = collect_run_metadata("kind = \"toy\"\n", 2);
  write_results_file(path, metadata, {record});
  const auto back = read_results_file(path);
  ASSERT_EQ(back.size(), 1u);
  testing::expect_same_record(record, back[0]);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp." + std::to_string(getpid())));

  const RunMetadata stored = read_run_metadata(path);
  EXPECT_EQ(stored.spec_text, "kind = \"toy\"\n");
  EXPECT_EQ(stored.spec_hash, metadata.spec_hash);
  EXPECT_EQ(stored.mpi_size, 2);
  EXPECT_EQ(stored.libraries.count("hdf5"), 1u);
  EXPECT_EQ(stored.git_commit, metadata.git_commit);
}

TEST(ResultStore, FailedTaskKeepsItsMessage) {
  const std::string path = testing::scratch_dir() + "/failed.h5";
  TaskRecord record;
  record.task = testing::task_of("toy", {{"model", std::string("bad")}}, 1);
  record.status = "failed";
  record.error = "model 'bad' diverged";
  write_results_file(path, collect_run_metadata("", 1), {record});
  const auto back = read_results_file(path);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].status, "failed");
  EXPECT_EQ(back[0].error, "model 'bad' diverged");
}

TEST(ResultStore, PartialOrForeignFilesAreRefusedNamingThem) {
  const std::string dir = testing::scratch_dir();
  const std::string path = dir + "/results.h5";
  write_results_file(path, collect_run_metadata("", 1), {sample_record("hs", 1.0)});
  const auto size = std::filesystem::file_size(path);
  for (auto keep : {size / 2, size - 100, uintmax_t{0}, uintmax_t{10}}) {
    const std::string cut = dir + "/cut_" + std::to_string(keep) + ".h5";
    std::filesystem::copy_file(path, cut);
    std::filesystem::resize_file(cut, keep);
    try {
      read_results_file(cut);
      FAIL() << "kept " << keep << " of " << size;
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find(cut), std::string::npos) << error.what();
    }
  }
  const std::string text = testing::write_scratch_file("not.h5", "hello\n");
  try {
    read_summary_table(text);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("not.h5"), std::string::npos) << error.what();
  }
}

TEST(ResultStore, ClashingNamesAreRejected) {
  const std::string path = testing::scratch_dir() + "/clash.h5";
  TaskRecord record = sample_record("hs", 1.0);
  record.result.attributes["status"] = std::string("mine");
  EXPECT_THROW(write_results_file(path, collect_run_metadata("", 1), {record}),
               std::invalid_argument);
  record = sample_record("hs", 1.0);
  record.result.tables["summary"] = record.result.tables["tests"];
  EXPECT_THROW(write_results_file(path, collect_run_metadata("", 1), {record}),
               std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ResultStore, ResultsFileHoldsTasksAndUnionSummary) {
  const std::string dir = testing::scratch_dir();
  TaskRecord a = sample_record("hs", 1.0);
  TaskRecord b = sample_record("garch", 2.0);
  b.result.summary = Table{};
  b.result.summary.add("var_level", std::vector<int64_t>{1})
      .add("note", std::vector<std::string>{"x"});
  TaskRecord failed;
  failed.task = testing::task_of("toy", {{"model", std::string("bad")}}, 1);
  failed.status = "failed";
  failed.error = "boom";
  const std::string path = dir + "/results.h5";
  write_results_file(path, collect_run_metadata("spec", 2), {a, b, failed});

  const auto records = read_results_file(path);
  ASSERT_EQ(records.size(), 3u);
  const Table summary = read_summary_table(path);
  ASSERT_EQ(summary.rows(), 3u);  // 2 rows of a, 1 of b, none of the failed task
  std::vector<std::string> expected_names = {"task_id", "kind", "status",    "flag", "level",
                                             "model",   "seed", "var_level", "hits", "note"};
  EXPECT_EQ(summary.names, expected_names);
  // var_level is double in a and int64 in b: promoted to double.
  EXPECT_EQ(std::get<std::vector<double>>(summary.column("var_level")),
            (std::vector<double>{0.01, 0.05, 1.0}));
  const auto hits = std::get<std::vector<int64_t>>(summary.column("hits"));
  EXPECT_EQ(hits, (std::vector<int64_t>{4, 12, 0}));
  const auto note = std::get<std::vector<std::string>>(summary.column("note"));
  EXPECT_EQ(note, (std::vector<std::string>{"", "", "x"}));
  const auto model = std::get<std::vector<std::string>>(summary.column("model"));
  EXPECT_EQ(model, (std::vector<std::string>{"hs", "hs", "garch"}));
  EXPECT_EQ(std::get<std::vector<std::string>>(summary.column("task_id"))[2], b.task.id);
}

TEST(ResultStore, ReadableByH5pyAndH5dump) {
  const std::string dir = testing::scratch_dir();
  const std::string path = dir + "/results.h5";
  const TaskRecord record = sample_record("hs", 1.0);
  write_results_file(path, collect_run_metadata("kind = \"toy\"", 1), {record});
  const std::string script = testing::write_scratch_file("check.py", R"(
import sys, json, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert f.attrs["riskstep_format"] == "riskstep-results-4"
assert f.attrs["spec_text"] == 'kind = "toy"'
t = f["tasks"][sys.argv[2]]
assert t.attrs["kind"] == "toy"
assert json.loads(t.attrs["parameters"])["params"]["model"] == "hs"
assert t.attrs["status"] == "ok" and t.attrs["data_source"] == "abc123"
assert list(t["loss"][:]) == [1.5, -2.0, 3.25]
assert [s.decode() for s in t["dates"][:]] == ["2020-01-01", "2020-01-02", "\u00fc"]
assert list(t["hits"]["level_0.01"][:]) == [0, 1, 0]
m = t["mixture/params"]
assert m.shape == (3, 2) and list(m.attrs["col_names"]) == ["mu", "sigma"]
assert list(t["tests"]["p_value"]) == [0.25, 0.75]
s = f["summary"]
assert s.dtype.names[:3] == ("task_id", "kind", "status")
assert list(s["hits"]) == [4, 12]
print("h5py ok")
)");
  const std::string command =
      "/usr/bin/python3 " + script + " " + path + " " + record.task.id + " 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  EXPECT_EQ(std::system(("h5dump -H " + path + " > /dev/null").c_str()), 0);
}

}  // namespace
}  // namespace riskstep
