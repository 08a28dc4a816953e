#include "data/vision/cifar_reader.h"

#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace riskstep::vision {

namespace {
constexpr int64_t kPixels = 3 * 32 * 32;
}

ImageDataset read_cifar_file(const std::string& path, int classes, const FileReader& read) {
  if (classes != 10 && classes != 100)
    throw std::invalid_argument("CIFAR classes must be 10 or 100, got " + std::to_string(classes));
  const int64_t label_bytes = classes == 10 ? 1 : 2;
  const int64_t record = label_bytes + kPixels;
  const auto bytes = read(path);
  if (bytes.empty() || bytes.size() % record != 0)
    throw std::runtime_error(path + ": " + std::to_string(bytes.size()) +
                             " bytes is not a whole number of " + std::to_string(record) +
                             "-byte CIFAR-" + std::to_string(classes) +
                             " records (truncated or wrong format)");
  const int64_t count = int64_t(bytes.size()) / record;
  ImageDataset dataset;
  dataset.name = path;
  dataset.num_classes = classes;
  dataset.images = torch::empty({count, 3, 32, 32}, torch::kUInt8);
  dataset.labels = torch::empty({count}, torch::kInt64);
  auto* pixels = dataset.images.data_ptr<uint8_t>();
  auto* labels = dataset.labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < count; ++i) {
    const uint8_t* source = bytes.data() + i * record;
    labels[i] = source[label_bytes - 1];
    if (labels[i] >= classes)
      throw std::runtime_error(path + ": record " + std::to_string(i) + " has label " +
                               std::to_string(labels[i]) + ", outside 0.." +
                               std::to_string(classes - 1));
    std::memcpy(pixels + i * kPixels, source + label_bytes, kPixels);
  }
  return dataset;
}

std::vector<std::string> cifar_files(const std::string& dir, int classes, bool train) {
  std::vector<std::string> files;
  if (classes == 10) {
    if (train)
      for (int b = 1; b <= 5; ++b) files.push_back("data_batch_" + std::to_string(b) + ".bin");
    else
      files.push_back("test_batch.bin");
  } else {
    files.push_back(train ? "train.bin" : "test.bin");
  }
  for (auto& file : files) {
    const std::string path = dir + "/" + file;
    if (!std::filesystem::exists(path))
      throw std::runtime_error(dir + ": missing " + file + " (expected the CIFAR-" +
                               std::to_string(classes) + " binary version)");
    file = path;
  }
  return files;
}

ImageDataset load_cifar(const std::string& dir, int classes, bool train, const FileReader& read) {
  std::vector<torch::Tensor> images, labels;
  for (const auto& path : cifar_files(dir, classes, train)) {
    const ImageDataset part = read_cifar_file(path, classes, read);
    images.push_back(part.images);
    labels.push_back(part.labels);
  }
  ImageDataset dataset;
  dataset.name = "cifar" + std::to_string(classes) + (train ? "/train" : "/test");
  dataset.num_classes = classes;
  dataset.images = torch::cat(images);
  dataset.labels = torch::cat(labels);
  return dataset;
}

}  // namespace riskstep::vision
