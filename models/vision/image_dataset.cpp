#include "models/vision/image_dataset.h"

#include <stdexcept>

namespace riskstep::vision {

Normalization channel_statistics(const ImageDataset& dataset) {
  torch::NoGradGuard no_grad;
  const auto pixels = dataset.images.to(torch::kFloat64).div(255.0);
  const auto mean = pixels.mean({0, 2, 3});
  const auto std = pixels.std({0, 2, 3});
  Normalization statistics;
  for (int c = 0; c < dataset.channels(); ++c) {
    statistics.mean.push_back(mean[c].item<double>());
    statistics.std.push_back(std[c].item<double>());
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
