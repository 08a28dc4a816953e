#pragma once
// An in-memory labelled image set, as read from IDX (MNIST family) or CIFAR binary files.
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

namespace riskstep::vision {

struct ImageDataset {
  std::string name;      // e.g. "fashion-mnist/train"
  torch::Tensor images;  // uint8, (N, C, H, W)
  torch::Tensor labels;  // int64, (N)
  int num_classes = 0;

  int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
  int channels() const { return static_cast<int>(images.size(1)); }
};

// Per-channel mean and standard deviation of pixel values in [0, 1].
struct Normalization {
  std::vector<double> mean;
  std::vector<double> std;
};
Normalization channel_statistics(const ImageDataset& dataset);

// First `count` samples (all if count <= 0 or larger than the set): for tests and short runs.
ImageDataset head(const ImageDataset& dataset, int64_t count);

// Returns a file's bytes (gunzipped when the file is gzip) or throws naming the file. The caller
// supplies it, so the models need no compression library (data/gzip_file.h has the
// zlib one).
using FileReader = std::function<std::vector<uint8_t>(const std::string& path)>;

}  // namespace riskstep::vision
