#include "training/multi_tensor_sgd.h"

#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace riskstep {
namespace {

// The optimiser's state key of a parameter: LibTorch 1.x uses the printed TensorImpl address,
// 2.x the address itself.
template <typename Map>
typename Map::key_type state_key(const Map&, const torch::Tensor& parameter) {
  using Key = typename Map::key_type;
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream printed;
    printed << parameter.unsafeGetTensorImpl();
    return printed.str();
  } else {
    return static_cast<Key>(parameter.unsafeGetTensorImpl());
  }
}

}  // namespace

torch::Tensor MultiTensorSgd::step(LossClosure closure) {
  torch::NoGradGuard no_grad;
  torch::Tensor loss;
  if (closure) {
    at::AutoGradMode enable_grad(true);
    loss = closure();
  }
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const torch::optim::SGDOptions&>(group.options());
    std::vector<torch::Tensor> parameters, gradients, buffers, fresh;
    for (auto& parameter : group.params())
      if (parameter.grad().defined()) {
        parameters.push_back(parameter);
        gradients.push_back(parameter.grad());
      }
    if (parameters.empty()) continue;
    if (options.weight_decay() != 0)  // d_p = g + wd * p (new tensors: .grad stays as it was)
      gradients = at::_foreach_add(gradients, parameters, options.weight_decay());
    std::vector<torch::Tensor>* update = &gradients;
    if (options.momentum() != 0) {
      // A parameter's first step starts its buffer at d_p; later ones decay it and add d_p.
      std::vector<torch::Tensor> old_buffers, old_gradients;
      for (size_t i = 0; i < parameters.size(); ++i) {
        const auto key = state_key(state_, parameters[i]);
        auto found = state_.find(key);
        if (found == state_.end()) {
          auto state = std::make_unique<torch::optim::SGDParamState>();
          state->momentum_buffer(torch::clone(gradients[i]).detach());
          buffers.push_back(state->momentum_buffer());
          state_[key] = std::move(state);
        } else {
          auto& state = static_cast<torch::optim::SGDParamState&>(*found->second);
          buffers.push_back(state.momentum_buffer());
          old_buffers.push_back(state.momentum_buffer());
          old_gradients.push_back(gradients[i]);
        }
      }
      if (!old_buffers.empty()) {
        at::_foreach_mul_(old_buffers, options.momentum());
        at::_foreach_add_(old_buffers, old_gradients, 1 - options.dampening());
      }
      if (options.nesterov()) fresh = at::_foreach_add(gradients, buffers, options.momentum());
      update = options.nesterov() ? &fresh : &buffers;
    }
    at::_foreach_add_(parameters, *update, -1 * options.lr());
  }
  return loss;
}

}  // namespace riskstep
