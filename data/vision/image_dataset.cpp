#include "data/vision/image_dataset.h"

#include <array>
#include <cmath>
#include <stdexcept>

namespace riskstep::vision {

// From each channel's histogram of byte values: one pass over the bytes with exact counts, then
// 256 terms per channel in double (a floating-point copy of 60,000 images took seconds).
Normalization channel_statistics(const ImageDataset& dataset) {
  const torch::Tensor images = dataset.images.contiguous();
  const int64_t count = images.size(0), channels = images.size(1);
  const int64_t pixels = images.size(2) * images.size(3);
  std::vector<std::array<int64_t, 256>> histogram(size_t(channels), std::array<int64_t, 256>{});
  const uint8_t* byte = images.data_ptr<uint8_t>();
  for (int64_t image = 0; image < count; ++image)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t p = 0; p < pixels; ++p) ++histogram[size_t(c)][*byte++];
  Normalization statistics;
  const double n = double(count * pixels);
  for (const auto& counts : histogram) {
    double sum = 0;
    for (int v = 0; v < 256; ++v) sum += double(counts[v]) * (v / 255.0);
    const double mean = sum / n;
    double squares = 0;
    for (int v = 0; v < 256; ++v) squares += double(counts[v]) * std::pow(v / 255.0 - mean, 2);
    statistics.mean.push_back(mean);
    statistics.std.push_back(std::sqrt(squares / (n - 1)));  // sample sd, as torch's std
  }
  return statistics;
}

ImageDataset head(const ImageDataset& dataset, int64_t count) {
  if (count <= 0 || count >= dataset.size()) return dataset;
  ImageDataset part = dataset;
  part.images = dataset.images.slice(0, 0, count).clone();
  part.labels = dataset.labels.slice(0, 0, count).clone();
  return part;
}

}  // namespace riskstep::vision
