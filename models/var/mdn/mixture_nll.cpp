#include "models/var/mdn/mixture_nll.h"

#include <cmath>

namespace riskstep {

torch::Tensor mixture_nll(const MixtureOutput& mixture, const torch::Tensor& targets) {
  const auto log_weights = torch::log_softmax(mixture.logits, -1);
  const auto z = (targets.unsqueeze(-1) - mixture.mu) / mixture.sigma;
  const auto log_density = -0.5 * z * z - torch::log(mixture.sigma) - 0.5 * std::log(2.0 * M_PI);
  return -torch::logsumexp(log_weights + log_density, -1);
}

torch::Tensor mdn_batch_loss(const MixtureOutput& mixture, const torch::Tensor& targets,
                             const torch::Tensor& sample_weight, int64_t real_samples,
                             double penalty) {
  auto loss =
      (mixture_nll(mixture, targets) * sample_weight).sum(1) / static_cast<double>(real_samples);
  if (penalty != 0.0)
    loss = loss + penalty * (mixture.logits.square().sum(2) * sample_weight).sum(1);
  return loss;
}

}  // namespace riskstep
