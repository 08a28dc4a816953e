#pragma once
// How a training computes, beyond the model: reproducibility on GPUs and reduced precision.
#include <torch/torch.h>

#include <string>

namespace riskstep {

// Deterministic cuDNN and algorithms on a CUDA device (no cuDNN autotuning, cuBLAS's fixed
// workspace), so one seed gives bit-identical results on a rerun; `false` allows the faster
// nondeterministic kernels. CPU kernels here are deterministic either way.
void set_determinism(bool deterministic, torch::Device device);

// Which convolutions a CPU training runs: oneDNN's, except for bf16 while oneDNN is capped to AVX2
// (the baseline CPU kernels of app/cpu_kernels.h, so that every AVX2 CPU gives the same
// numbers): oneDNN's bf16 kernels need AVX-512, so ATen's own run (about 20x slower; bf16 is for
// GPUs, on CPUs it is a check of the path). Process-wide, like set_determinism; GPUs: nothing.
void set_cpu_convolutions(const std::string& precision, torch::Device device);

// Autocast to bfloat16 for the forward pass while alive when `precision` is "bf16" (convolutions
// and linear layers in bf16; BatchNorm's running statistics and the weights stay float32).
class PrecisionScope {
 public:
  PrecisionScope(const std::string& precision, torch::Device device);
  ~PrecisionScope();
  PrecisionScope(const PrecisionScope&) = delete;
  PrecisionScope& operator=(const PrecisionScope&) = delete;

 private:
  bool enabled_ = false;
  bool cuda_ = false;
};

// bf16 runs keep convolution weights and inputs channels-last (NHWC), the layout the bf16
// convolution kernels (oneDNN on CPUs, cuDNN on GPUs) are fastest with; fp32 runs keep NCHW.
void use_channels_last(torch::nn::Module& model);
torch::Tensor in_layout(const torch::Tensor& images, const std::string& precision);

}  // namespace riskstep
