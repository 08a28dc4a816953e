#include "training/compute_mode.h"

#include <ATen/autocast_mode.h>

#include <cstdlib>

namespace riskstep {

// LibTorch 2.4 replaced the per-device autocast switches with ones that take the device type.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define RISKSTEP_AUTOCAST_BY_DEVICE_TYPE 1
#endif

void set_determinism(bool deterministic, torch::Device device) {
  if (!device.is_cuda()) return;
  // Read when cuBLAS starts, so set before the first CUDA matrix product; a user's value wins.
  if (deterministic) setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
  auto& context = at::globalContext();
  context.setDeterministicCuDNN(deterministic);
  context.setBenchmarkCuDNN(!deterministic);
  // warn_only: an op without a deterministic kernel warns instead of failing the training.
  context.setDeterministicAlgorithms(deterministic, /*warn_only=*/true);
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
  // Since 2.1 the switch above also fills every new CUDA tensor with NaN (a kernel per empty
  // tensor); results stay deterministic without it, as every tensor here is written before read.
  context.setDeterministicFillUninitializedMemory(false);
#endif
}

void set_cpu_convolutions(const std::string& precision, torch::Device device) {
  if (!device.is_cpu()) return;
  const char* isa = std::getenv("ONEDNN_MAX_CPU_ISA");  // what oneDNN itself reads
  const bool capped_to_avx2 = isa != nullptr && std::string(isa) == "AVX2";
  at::globalContext().setUserEnabledMkldnn(!(precision == "bf16" && capped_to_avx2));
}

namespace {
void set_autocast(bool cuda, bool enabled) {
#ifdef RISKSTEP_AUTOCAST_BY_DEVICE_TYPE
  const auto type = cuda ? at::kCUDA : at::kCPU;
  at::autocast::set_autocast_dtype(type, at::kBFloat16);
  at::autocast::set_autocast_enabled(type, enabled);
#else
  if (cuda) {
    at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    at::autocast::set_enabled(enabled);
  } else {
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::set_cpu_enabled(enabled);
  }
#endif
}
}  // namespace

PrecisionScope::PrecisionScope(const std::string& precision, torch::Device device)
    : enabled_(precision == "bf16"), cuda_(device.is_cuda()) {
  if (enabled_) set_autocast(cuda_, true);
}

PrecisionScope::~PrecisionScope() {
  if (!enabled_) return;
  set_autocast(cuda_, false);
  at::autocast::clear_cache();
}

void use_channels_last(torch::nn::Module& model) {
  torch::NoGradGuard no_grad;
  for (auto& parameter : model.parameters())
    if (parameter.dim() == 4)
      parameter.set_data(parameter.contiguous(at::MemoryFormat::ChannelsLast));
}

torch::Tensor in_layout(const torch::Tensor& images, const std::string& precision) {
  return precision == "bf16" ? images.contiguous(at::MemoryFormat::ChannelsLast) : images;
}

}  // namespace riskstep
