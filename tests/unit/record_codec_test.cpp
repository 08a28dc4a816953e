#include "pipeline/store/record_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "pipeline/store/record_digest.h"
#include "test_data.h"

namespace riskstep {
namespace {

TaskRecord record_with_everything() {
  TaskRecord record;
  record.task = testing::task_of(
      "toy",
      {{"model", std::string("mdn2")}, {"level", 0.01}, {"seed", int64_t{-3}}, {"flag", true}}, 42,
      2, {{"threads", int64_t{4}}, {"device", std::string("cuda:1")}});
  record.result.attributes["nan"] = std::numeric_limits<double>::quiet_NaN();
  record.result.attributes["count"] = int64_t{1} << 40;
  record.result.attributes["text"] = std::string("ä\n\0b", 5);
  record.result.columns["loss"] =
      std::vector<double>{1.5, -std::numeric_limits<double>::infinity()};
  record.result.columns["hits"] = std::vector<int64_t>{0, 1, 0};
  record.result.columns["dates"] = std::vector<std::string>{"2020-01-01", ""};
  record.result.matrices["mixture/params"] = Matrix{2, 2, {1, 2, 3, 4}, {"mu", "sigma"}};
  Table tests;
  tests.add("test", std::vector<std::string>{"kupiec"}).add("p", std::vector<double>{0.25});
  record.result.tables["tests"] = tests;
  record.result.summary.add("hits", std::vector<int64_t>{4});
  record.wall_seconds = 1.25;
  record.rank = 3;
  record.host = "rs-node2";
  return record;
}

TEST(RecordCodec, RoundTripKeepsEveryStoredField) {
  TaskRecord failed;
  failed.task = testing::task_of("toy", {{"model", std::string("hs")}}, 7);
  failed.status = "failed";
  failed.error = "No space left on device";
  const std::vector<TaskRecord> records = {record_with_everything(), failed, TaskRecord{}};
  const auto decoded = decode_records(encode_records(records));
  ASSERT_EQ(decoded.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(record_digest(decoded[i]), record_digest(records[i])) << i;
    EXPECT_EQ(decoded[i].task.run_settings, records[i].task.run_settings) << i;
    EXPECT_EQ(decoded[i].host, records[i].host) << i;
  }
  EXPECT_TRUE(std::isnan(std::get<double>(decoded[0].result.attributes.at("nan"))));
  EXPECT_EQ(std::get<std::string>(decoded[0].result.attributes.at("text")).size(), 5u);
}

TEST(RecordCodec, CutOrPaddedBytesAreRefused) {
  const std::string bytes = encode_records({record_with_everything()});
  for (size_t cut : {size_t{0}, size_t{5}, bytes.size() / 2, bytes.size() - 1})
    EXPECT_THROW(decode_records(bytes.substr(0, cut)), std::runtime_error) << cut;
  EXPECT_THROW(decode_records(bytes + "x"), std::runtime_error);
  EXPECT_TRUE(decode_records(encode_records({})).empty());
}

}  // namespace
}  // namespace riskstep
