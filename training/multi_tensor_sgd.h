#pragma once
// torch::optim::SGD with one multi-tensor (foreach) operation per update term instead of a few
// small kernels per parameter: ResNet-20 has ~65 parameter tensors, so a step launches ~5 kernels
// in all on a GPU instead of ~300. The arithmetic is SGD's own, term by term (weight decay, then
// momentum with dampening, optionally Nesterov, then p -= lr * d_p), and its state is SGD's
// momentum_buffer, so results equal torch::optim::SGD's on the CPU bit for bit and checkpoints of
// either load into the other.
#include <torch/torch.h>

namespace riskstep {

class MultiTensorSgd : public torch::optim::SGD {
 public:
  using torch::optim::SGD::SGD;
  torch::Tensor step(LossClosure closure = nullptr) override;
};

}  // namespace riskstep
