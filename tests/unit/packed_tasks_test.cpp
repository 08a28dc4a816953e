// Part files' packed records (pipeline/store/packed_tasks.h): every record reads back as it was
// written, also when records differ in their parts' columns and types.
#include "pipeline/store/packed_tasks.h"

#include <gtest/gtest.h>

#include "pipeline/store/hdf5_handle.h"
#include "pipeline/store/hdf5_image.h"
#include "record_expectations.h"
#include "test_data.h"

namespace riskstep {
namespace {

TaskRecord garch_like(int64_t i) {
  TaskRecord record;
  record.task = testing::task_of("toy", {{"model", std::string("garch")}, {"i", i}}, 7);
  record.result.attributes["data_source"] = std::string("synthetic");
  record.result.attributes["n_obs"] = i;
  record.result.columns["loss"] = std::vector<double>{1.5, -2.0, 0.25 * double(i)};
  record.result.columns["hits"] = std::vector<int64_t>{0, 1, i};
  record.result.summary.add("level", std::vector<double>{0.01})
      .add("hits", std::vector<int64_t>{i});
  record.wall_seconds = 0.5;
  return record;
}

// A network's record: more summary columns, a column of another type, a matrix, a table.
TaskRecord network_like(int64_t i) {
  TaskRecord record = garch_like(i);
  record.task = testing::task_of("toy", {{"model", std::string("mdn2")}, {"i", i}}, 7);
  record.result.columns["hits"] = std::vector<double>{0.5, 1.5, 2.5};
  record.result.summary.add("epochs", std::vector<int64_t>{40})
      .add("protocol", std::vector<std::string>{"thesis"});
  Matrix mu;
  mu.rows = 3, mu.cols = 2, mu.values = {1, 2, 3, 4, 5, 6}, mu.col_names = {"k1", "k2"};
  record.result.matrices["mixture/mu"] = mu;
  Table history;
  history.add("epoch", std::vector<int64_t>{1, 2}).add("loss", std::vector<double>{0.9, 0.8});
  record.result.tables["history"] = history;
  return record;
}

TaskRecord failed(int64_t i) {
  TaskRecord record;
  record.task = testing::task_of("toy", {{"model", std::string("bad")}, {"i", i}}, 7);
  record.status = "failed";
  record.error = "diverged";
  return record;
}

TEST(PackedTasks, MixedRecordsReadBackAsWritten) {
  std::vector<TaskRecord> records;
  for (int64_t i = 0; i < 5000; ++i)  // more than one block of appends
    records.push_back(i % 3 == 0 ? network_like(i) : i % 7 == 1 ? failed(i) : garch_like(i));
  const std::string path = testing::scratch_dir() + "/packed.h5";
  hdf5::write_file_whole(path, [&](hid_t file) {
    PackedTasksWriter packed;
    for (const auto& record : records) packed.observe(record);
    for (const auto& record : records) packed.append(file, record);
    packed.finish(file);
  });
  hdf5::Handle file = hdf5::file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path);
  const std::vector<TaskRecord> back = read_packed_tasks(file.get());
  ASSERT_EQ(back.size(), records.size());
  for (size_t k = 0; k < records.size(); ++k) testing::expect_same_record(records[k], back[k]);
}

TEST(PackedTasks, ClashingNamesAreRefused) {
  TaskRecord record = garch_like(1);
  record.result.tables["loss"] = record.result.summary;  // "loss" is a column already
  PackedTasksWriter packed;
  EXPECT_THROW(packed.observe(record), std::invalid_argument);
}

}  // namespace
}  // namespace riskstep
