#include "data/vision/device_batches.h"

namespace riskstep::vision {

DeviceImages::DeviceImages(const ImageDataset& dataset, const Normalization& normalization,
                           int padding, torch::Device device)
    : padding_(padding), height_(dataset.images.size(2)), width_(dataset.images.size(3)) {
  padded_ = torch::constant_pad_nd(dataset.images, {padding, padding, padding, padding}, 0)
                .to(device)
                .contiguous();
  labels_ = dataset.labels.to(device);
  // Every normalised value a byte can become, per channel, computed on the CPU by make_batch's
  // own operations: on CUDA, dividing by 255 would become a multiply by 1/255 (one ulp off), and
  // one gather replaces five elementwise kernels per batch.
  const int64_t channels = dataset.images.size(1);
  const auto bytes = torch::arange(256, torch::kInt64).to(torch::kFloat32).div_(255.0);
  const auto mean = torch::tensor(normalization.mean, torch::kFloat32).view({channels, 1});
  const auto std = torch::tensor(normalization.std, torch::kFloat32).view({channels, 1});
  values_ = ((bytes.view({1, 256}) - mean) / std).reshape({-1}).to(device);
  channel_base_ =
      (torch::arange(channels, torch::kInt64) * 256).view({1, channels, 1, 1}).to(device);
}

void DeviceImages::start_epoch(const EpochPlan& plan, const Augmentation& augmentation,
                               uint64_t seed, int64_t epoch) {
  const int64_t n = int64_t(plan.order().size());
  std::vector<int64_t> dy(size_t(n), padding_), dx(size_t(n), padding_), flip(size_t(n), 0);
  if (augmentation.enabled) {
    const uint64_t choices = uint64_t(2 * augmentation.padding + 1);
    for (int64_t position = 0; position < n; ++position) {  // make_batch's draws, in its order
      uint64_t state = mix64(seed ^ mix64((uint64_t(epoch) << 32) ^ uint64_t(position)));
      dy[size_t(position)] =
          int64_t((state = mix64(state)) % choices) + padding_ - augmentation.padding;
      dx[size_t(position)] =
          int64_t((state = mix64(state)) % choices) + padding_ - augmentation.padding;
      flip[size_t(position)] = augmentation.flip && (mix64(state) & 1);
    }
  }
  const auto device = padded_.device();
  auto upload = [&](const std::vector<int64_t>& values) {
    return torch::tensor(values, torch::kInt64).to(device);
  };
  order_ = upload(plan.order());
  dy_ = upload(dy);
  dx_ = upload(dx);
  flip_ = upload(flip);
}

Batch DeviceImages::batch(int64_t first, int64_t last) const {
  const int64_t n = last - first;
  const auto options = torch::TensorOptions().dtype(torch::kInt64).device(padded_.device());
  const auto samples = order_.slice(0, first, last);
  // Row r of image i is padded row dy_i + r; column c is dx_i + c, or dx_i + W - 1 - c flipped.
  const auto rows = dy_.slice(0, first, last).view({n, 1}) + torch::arange(height_, options);
  const auto columns = torch::arange(width_, options).view({1, width_});
  const auto flipped = flip_.slice(0, first, last).view({n, 1}).to(torch::kBool);
  const auto cols = dx_.slice(0, first, last).view({n, 1}) +
                    torch::where(flipped, (width_ - 1) - columns, columns);
  using torch::indexing::Slice;
  // Advanced indices around a slice put their dimensions first: (n, H, W, C).
  const auto crops = padded_.index(
      {samples.view({n, 1, 1}), Slice(), rows.view({n, height_, 1}), cols.view({n, 1, width_})});
  Batch batch;
  batch.labels = labels_.index_select(0, samples);
  // Contiguous NCHW, as make_batch gives: some kernels' results depend on the memory layout.
  const auto bytes = crops.permute({0, 3, 1, 2}).to(torch::kInt64) + channel_base_;
  batch.images = values_.index({bytes}).contiguous();
  return batch;
}

}  // namespace riskstep::vision
