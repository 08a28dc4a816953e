#include "jobs/train_stepnet/image_data.h"

#include <filesystem>
#include <map>
#include <mutex>

#include "data/gzip_file.h"
#include "data/vision/cifar_reader.h"
#include "data/vision/idx_reader.h"
#include "pipeline/core/sha256.h"

namespace riskstep {

using namespace riskstep::vision;

namespace {

std::string data_dir(const TrainSettings& s) {
  return s.dataset == "fashion-mnist" && s.data_dir.empty() ? kFashionMnistDir : s.data_dir;
}

int cifar_classes(const TrainSettings& s) {
  return s.dataset == "cifar10" ? 10 : 100;
}

// sha256 of a file's bytes, cached per path, size and modification time: every rank of a sweep
// asks for it once per task.
std::string file_sha256(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::string> digests;
  const auto stamp = std::filesystem::last_write_time(path).time_since_epoch().count();
  const std::string key = std::filesystem::canonical(path).string() + "\n" +
                          std::to_string(std::filesystem::file_size(path)) + "\n" +
                          std::to_string(stamp);
  std::lock_guard<std::mutex> lock(mutex);
  auto it = digests.find(key);
  if (it == digests.end()) it = digests.emplace(key, sha256_file_hex(path)).first;
  return it->second;
}

}  // namespace

ImageData load_image_data(const TrainSettings& s) {
  ImageData data;
  if (s.dataset == "fashion-mnist") {
    data.train = load_fashion_mnist(data_dir(s), true, read_maybe_gzipped);
    data.test = load_fashion_mnist(data_dir(s), false, read_maybe_gzipped);
  } else {
    data.train = load_cifar(data_dir(s), cifar_classes(s), true, read_maybe_gzipped);
    data.test = load_cifar(data_dir(s), cifar_classes(s), false, read_maybe_gzipped);
  }
  data.normalization = channel_statistics(data.train);  // from the full training set
  data.train = head(data.train, s.train_subset);
  data.test = head(data.test, s.test_subset);
  return data;
}

std::string image_data_digest(const Params& given) {
  const TrainSettings s = train_settings().read(given);
  check_train_settings(s);
  std::string digests;
  for (const bool train : {true, false}) {
    const auto files = s.dataset == "fashion-mnist"
                           ? fashion_mnist_files(data_dir(s), train)
                           : cifar_files(data_dir(s), cifar_classes(s), train);
    for (const auto& file : files) digests += file_sha256(file) + "\n";
  }
  return sha256_hex(digests);
}

}  // namespace riskstep
