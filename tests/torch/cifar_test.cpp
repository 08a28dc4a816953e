#include <gtest/gtest.h>

#include <fstream>

#include "data/gzip_file.h"
#include "data/vision/cifar_reader.h"
#include "test_data.h"

namespace riskstep::vision {
namespace {

using riskstep::read_maybe_gzipped;

// `records` CIFAR records; pixel k of record i is (i + k) % 256, labels as given.
std::string write_records(const std::string& dir, const std::string& name,
                          const std::vector<std::vector<uint8_t>>& labels, size_t drop = 0) {
  std::string bytes;
  for (size_t i = 0; i < labels.size(); ++i) {
    for (uint8_t label : labels[i]) bytes.push_back(char(label));
    for (int k = 0; k < 3072; ++k) bytes.push_back(char((i + k) % 256));
  }
  bytes.resize(bytes.size() - drop);
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(Cifar, ReadsCifar10Records) {
  const std::string path =
      write_records(riskstep::testing::scratch_dir(), "test_batch.bin", {{7}, {2}});
  const ImageDataset data = read_cifar_file(path, 10, read_maybe_gzipped);
  EXPECT_EQ(data.images.sizes(), (std::vector<int64_t>{2, 3, 32, 32}));
  EXPECT_EQ(data.labels[0].item<int64_t>(), 7);
  EXPECT_EQ(data.labels[1].item<int64_t>(), 2);
  EXPECT_EQ(data.images[1][1][0][0].item<uint8_t>(), (1 + 1024) % 256);  // channel-major
}

TEST(Cifar, Cifar100UsesTheFineLabel) {
  const std::string path = write_records(riskstep::testing::scratch_dir(), "train.bin", {{3, 88}});
  EXPECT_EQ(read_cifar_file(path, 100, read_maybe_gzipped).labels[0].item<int64_t>(), 88);
}

TEST(Cifar, ClearErrors) {
  const std::string dir = riskstep::testing::scratch_dir();
  try {
    read_cifar_file(write_records(dir, "short.bin", {{1}, {2}}, 10), 10, read_maybe_gzipped);
    FAIL();
  } catch (const std::runtime_error& error) {
    EXPECT_NE(
        std::string(error.what()).find("short.bin: 6136 bytes is not a whole number of 3073-byte"),
        std::string::npos)
        << error.what();
  }
  try {
    read_cifar_file(write_records(dir, "label.bin", {{1}, {10}}), 10, read_maybe_gzipped);
    FAIL();
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("record 1 has label 10, outside 0..9"),
              std::string::npos)
        << error.what();
  }
  write_records(dir, "test_batch.bin", {{1}});
  EXPECT_EQ(load_cifar(dir, 10, false, read_maybe_gzipped).size(), 1);
  EXPECT_THROW(load_cifar(dir, 10, true, read_maybe_gzipped),
               std::runtime_error);  // no data_batch_1.bin
}

}  // namespace
}  // namespace riskstep::vision
