#include "data/vision/idx_reader.h"

#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace riskstep::vision {

namespace {

constexpr uint32_t kLabelMagic = 0x00000801;
constexpr uint32_t kImageMagic = 0x00000803;

uint32_t big_endian_u32(const std::vector<uint8_t>& bytes, size_t offset) {
  return (uint32_t(bytes[offset]) << 24) | (uint32_t(bytes[offset + 1]) << 16) |
         (uint32_t(bytes[offset + 2]) << 8) | uint32_t(bytes[offset + 3]);
}

void check_header(const std::string& path, const std::vector<uint8_t>& bytes, size_t header_bytes,
                  uint32_t expected_magic, const char* what) {
  if (bytes.size() < header_bytes)
    throw std::runtime_error(path + ": truncated IDX header (" + std::to_string(bytes.size()) +
                             " bytes)");
  const uint32_t magic = big_endian_u32(bytes, 0);
  if (magic != expected_magic)
    throw std::runtime_error(path + ": wrong IDX magic " + std::to_string(magic) + ", expected " +
                             std::to_string(expected_magic) + " (" + what + ")");
}

std::string existing(const std::string& dir, const std::string& base) {
  for (const std::string& candidate : {dir + "/" + base + ".gz", dir + "/" + base})
    if (std::filesystem::exists(candidate)) return candidate;
  throw std::runtime_error(dir + ": no " + base +
                           "[.gz] (install Debian's dataset-fashion-mnist or pass --data)");
}

}  // namespace

ImageDataset read_idx_dataset(const std::string& images_path, const std::string& labels_path,
                              int num_classes, const std::string& name, const FileReader& read) {
  const auto image_bytes = read(images_path);
  check_header(images_path, image_bytes, 16, kImageMagic, "images");
  const int64_t count = big_endian_u32(image_bytes, 4);
  const int64_t rows = big_endian_u32(image_bytes, 8);
  const int64_t cols = big_endian_u32(image_bytes, 12);
  const size_t expected_image_bytes = 16 + size_t(count * rows * cols);
  if (image_bytes.size() < expected_image_bytes)
    throw std::runtime_error(images_path + ": truncated: header says " + std::to_string(count) +
                             " images of " + std::to_string(rows) + "x" + std::to_string(cols) +
                             " (" + std::to_string(expected_image_bytes) +
                             " bytes) but the file has " + std::to_string(image_bytes.size()));

  const auto label_bytes = read(labels_path);
  check_header(labels_path, label_bytes, 8, kLabelMagic, "labels");
  const int64_t label_count = big_endian_u32(label_bytes, 4);
  if (label_count != count)
    throw std::runtime_error(labels_path + ": " + std::to_string(label_count) + " labels but " +
                             images_path + " has " + std::to_string(count) + " images");
  if (label_bytes.size() < 8 + size_t(count))
    throw std::runtime_error(labels_path + ": truncated: header says " + std::to_string(count) +
                             " labels but the file has " + std::to_string(label_bytes.size() - 8));

  ImageDataset dataset;
  dataset.name = name;
  dataset.num_classes = num_classes;
  dataset.images = torch::empty({count, 1, rows, cols}, torch::kUInt8);
  std::memcpy(dataset.images.data_ptr<uint8_t>(), image_bytes.data() + 16,
              size_t(count * rows * cols));
  dataset.labels = torch::empty({count}, torch::kInt64);
  auto* labels = dataset.labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < count; ++i) {
    labels[i] = label_bytes[8 + i];
    if (labels[i] >= num_classes)
      throw std::runtime_error(labels_path + ": label " + std::to_string(labels[i]) + " at index " +
                               std::to_string(i) + " outside 0.." +
                               std::to_string(num_classes - 1));
  }
  return dataset;
}

std::vector<std::string> fashion_mnist_files(const std::string& dir, bool train) {
  const std::string prefix = train ? "train" : "t10k";
  return {existing(dir, prefix + "-images-idx3-ubyte"),
          existing(dir, prefix + "-labels-idx1-ubyte")};
}

ImageDataset load_fashion_mnist(const std::string& dir, bool train, const FileReader& read) {
  const auto files = fashion_mnist_files(dir, train);
  return read_idx_dataset(files[0], files[1], 10,
                          std::string("fashion-mnist/") + (train ? "train" : "test"), read);
}

}  // namespace riskstep::vision
