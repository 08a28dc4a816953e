#include "training/flat_gradients.h"

#include <stdexcept>

namespace riskstep {
namespace {
// Segments start on 16-byte boundaries, so vectorised kernels can load every gradient.
constexpr int64_t kAlignElements = 4;

int64_t aligned(int64_t elements) {
  return (elements + kAlignElements - 1) / kAlignElements * kAlignElements;
}
}  // namespace

FlatGradients::FlatGradients(std::vector<torch::Tensor> parameters)
    : parameters_(std::move(parameters)), offsets_(parameters_.size(), 0) {
  if (parameters_.empty()) return;
  int64_t elements = 0;
  for (size_t i = parameters_.size(); i-- > 0;) {
    const torch::Tensor& p = parameters_[i];
    if (p.scalar_type() != parameters_.front().scalar_type() ||
        p.device() != parameters_.front().device())
      throw std::invalid_argument("FlatGradients: all parameters must share one type and device");
    if (!p.is_non_overlapping_and_dense())
      throw std::invalid_argument("FlatGradients: parameter " + std::to_string(i) +
                                  " is not dense in memory");
    offsets_[i] = elements;
    elements += aligned(p.numel());
  }
  torch::NoGradGuard no_grad;
  flat_ = torch::zeros({elements}, parameters_.front().options().requires_grad(false));
  for (size_t i = 0; i < parameters_.size(); ++i) {
    torch::Tensor& p = parameters_[i];
    p.mutable_grad() = flat_.narrow(0, offsets_[i], p.numel()).as_strided(p.sizes(), p.strides());
  }
}

void FlatGradients::zero() {
  torch::NoGradGuard no_grad;
  if (flat_.defined()) flat_.zero_();
}

bool FlatGradients::attached() const {
  const auto* base = static_cast<const char*>(flat_.data_ptr());
  for (size_t i = 0; i < parameters_.size(); ++i) {
    const torch::Tensor& grad = parameters_[i].grad();
    if (!grad.defined() ||
        static_cast<const char*>(grad.data_ptr()) != base + offsets_[i] * flat_.element_size())
      return false;
  }
  return true;
}

}  // namespace riskstep
