#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "data/gzip_file.h"
#include "data/vision/idx_reader.h"
#include "test_data.h"
#include "train_fixtures.h"

namespace riskstep::vision {
namespace {

using riskstep::read_maybe_gzipped;

std::vector<uint8_t> header(uint32_t magic, std::vector<uint32_t> dims) {
  std::vector<uint8_t> bytes;
  for (uint32_t value : std::vector<uint32_t>{magic}) dims.insert(dims.begin(), value);
  for (uint32_t value : dims)
    for (int shift : {24, 16, 8, 0}) bytes.push_back(uint8_t(value >> shift));
  return bytes;
}

std::string write_gzip(const std::string& name, const std::vector<uint8_t>& bytes) {
  const std::string path = riskstep::testing::scratch_dir() + "/" + name;
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, bytes.data(), unsigned(bytes.size()));
  gzclose(file);
  return path;
}

struct IdxPair {
  std::string images, labels;
};

// Three 2x2 images with pixel values 10*i + k, labels given.
IdxPair write_pair(std::vector<uint8_t> labels, uint32_t image_magic = 0x803,
                   size_t drop_pixels = 0) {
  auto images = header(image_magic, {3, 2, 2});
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 4; ++k) images.push_back(uint8_t(10 * i + k));
  images.resize(images.size() - drop_pixels);
  auto label_bytes = header(0x801, {uint32_t(labels.size())});
  label_bytes.insert(label_bytes.end(), labels.begin(), labels.end());
  const std::string dir = riskstep::testing::scratch_dir();
  return {write_gzip("images.gz", images), write_gzip("labels.gz", label_bytes)};
}

TEST(Idx, ReadsGzippedImagesAndLabels) {
  const IdxPair pair = write_pair({3, 0, 9});
  const ImageDataset data =
      read_idx_dataset(pair.images, pair.labels, 10, "tiny", read_maybe_gzipped);
  EXPECT_EQ(data.images.sizes(), (std::vector<int64_t>{3, 1, 2, 2}));
  EXPECT_EQ(data.images[2][0][1][0].item<uint8_t>(), 22);
  EXPECT_EQ(data.labels[0].item<int64_t>(), 3);
  EXPECT_EQ(data.labels[2].item<int64_t>(), 9);
}

TEST(Idx, WrongMagicNamesTheFile) {
  const IdxPair pair = write_pair({1, 2, 3}, 0x801);
  try {
    read_idx_dataset(pair.images, pair.labels, 10, "tiny", read_maybe_gzipped);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(pair.images + ": wrong IDX magic 2049, expected 2051"),
              std::string::npos)
        << error.what();
  }
}

TEST(Idx, TruncatedFileIsReported) {
  const IdxPair pair = write_pair({1, 2, 3}, 0x803, 3);
  try {
    read_idx_dataset(pair.images, pair.labels, 10, "tiny", read_maybe_gzipped);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("truncated"), std::string::npos) << error.what();
  }
}

TEST(Idx, LabelOutOfRangeAndCountMismatch) {
  IdxPair pair = write_pair({1, 12, 3});
  try {
    read_idx_dataset(pair.images, pair.labels, 10, "tiny", read_maybe_gzipped);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("label 12 at index 1 outside 0..9"), std::string::npos)
        << error.what();
  }
  pair = write_pair({1, 2});
  EXPECT_THROW(read_idx_dataset(pair.images, pair.labels, 10, "tiny", read_maybe_gzipped),
               std::runtime_error);
  EXPECT_THROW(load_fashion_mnist(riskstep::testing::scratch_dir(), true, read_maybe_gzipped),
               std::runtime_error);
}

TEST(Idx, DebianFashionMnist) {
  RISKSTEP_REQUIRE_FASHION_MNIST();
  const ImageDataset test = load_fashion_mnist(kFashionMnistDir, false, read_maybe_gzipped);
  EXPECT_EQ(test.size(), 10000);
  EXPECT_EQ(test.images.sizes(), (std::vector<int64_t>{10000, 1, 28, 28}));
  // Balanced classes: 1000 test images each.
  EXPECT_EQ(test.labels.bincount().eq(1000).all().item<bool>(), true);
  const Normalization normalization = channel_statistics(head(test, 2000));
  EXPECT_NEAR(normalization.mean[0], 0.286, 0.01);
}

}  // namespace
}  // namespace riskstep::vision
