#pragma once
// StepNet's stiffness input (docs/stepnet.md): per sample n and channel c,
//   s_{n,c} = ||F_c(x_t) - F_c(x_{t-1})||_2 / (||x_{t,c} - x_{t-1,c}||_2 + 1e-6),
// norms over the spatial positions; shapes (N, C, H, W) -> (N, C). Differentiable in all four
// inputs, with torch's convention that the gradient of a norm at zero is 0 (so no NaN appears).
#include <torch/torch.h>

namespace riskstep::vision {

torch::Tensor channel_stiffness(const torch::Tensor& residual,
                                const torch::Tensor& previous_residual, const torch::Tensor& state,
                                const torch::Tensor& previous_state);

// The same value through ordinary autograd (two subtractions, two norms, a division, each with
// its own backward): the reference channel_stiffness is tested and benchmarked against.
torch::Tensor channel_stiffness_composite(const torch::Tensor& residual,
                                          const torch::Tensor& previous_residual,
                                          const torch::Tensor& state,
                                          const torch::Tensor& previous_state);

}  // namespace riskstep::vision
