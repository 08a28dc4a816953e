#include "models/vision/channel_stiffness.h"

namespace riskstep::vision {
namespace {

constexpr double kEpsilon = 1e-6;

torch::Tensor spatial_norm(const torch::Tensor& t) {
  return t.flatten(2).norm(2, {2});
}

// One autograd node instead of seven. Autograd's composite backward walks the full activations
// about eight times (norm backward: multiply, divide, mask; subtraction: negate; for F and x);
// the derivative in closed form walks them four times:
//   ds/dF  =  g / (|dF| (|dx| + eps)) * dF                 (and -that for F_{t-1})
//   ds/dx  = -g |dF| / ((|dx| + eps)^2 |dx|) * dx          (and -that for x_{t-1})
// where the per-channel factors are (N, C) and cost nothing.
struct ChannelStiffnessFunction : torch::autograd::Function<ChannelStiffnessFunction> {
  static torch::Tensor forward(torch::autograd::AutogradContext* context,
                               const torch::Tensor& residual,
                               const torch::Tensor& previous_residual, const torch::Tensor& state,
                               const torch::Tensor& previous_state) {
    auto residual_change = residual - previous_residual;
    auto state_change = state - previous_state;
    auto residual_norm = spatial_norm(residual_change);
    auto state_norm = spatial_norm(state_change);
    context->save_for_backward({residual_change, state_change, residual_norm, state_norm});
    return residual_norm / (state_norm + kEpsilon);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* context,
                                                 torch::autograd::variable_list grad_outputs) {
    const auto saved = context->get_saved_variables();
    const auto &residual_change = saved[0], &state_change = saved[1];
    const auto &residual_norm = saved[2], &state_norm = saved[3];
    const auto& grad = grad_outputs[0];
    const auto denominator = state_norm + kEpsilon;
    const auto residual_factor =
        (grad / (residual_norm * denominator)).masked_fill(residual_norm == 0, 0);
    const auto state_factor = (-grad * residual_norm / (denominator * denominator * state_norm))
                                  .masked_fill(state_norm == 0, 0);
    // Factors in the activations' dtype (bf16 under autocast), broadcast over H and W.
    auto as_map = [](const torch::Tensor& factor, const torch::Tensor& like) {
      return factor.to(like.scalar_type()).unsqueeze(-1).unsqueeze(-1);
    };
    auto grad_residual = residual_change * as_map(residual_factor, residual_change);
    auto grad_state = state_change * as_map(state_factor, state_change);
    return {grad_residual, -grad_residual, grad_state, -grad_state};
  }
};

}  // namespace

torch::Tensor channel_stiffness(const torch::Tensor& residual,
                                const torch::Tensor& previous_residual, const torch::Tensor& state,
                                const torch::Tensor& previous_state) {
  return ChannelStiffnessFunction::apply(residual, previous_residual, state, previous_state);
}

torch::Tensor channel_stiffness_composite(const torch::Tensor& residual,
                                          const torch::Tensor& previous_residual,
                                          const torch::Tensor& state,
                                          const torch::Tensor& previous_state) {
  return spatial_norm(residual - previous_residual) /
         (spatial_norm(state - previous_state) + kEpsilon);
}

}  // namespace riskstep::vision
