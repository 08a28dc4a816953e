#pragma once
// Negative log-likelihood of a Gaussian mixture, computed with log-sum-exp (internal, LibTorch).
#include <torch/torch.h>

#include "models/var/mdn/mdn_network.h"

namespace riskstep {

// Per-sample -log sum_k softmax(logits)_k N(y; mu_k, sigma_k^2): [E, B] from [E, B, K] and y [E,
// B].
torch::Tensor mixture_nll(const MixtureOutput& mixture, const torch::Tensor& targets);

// The training loss of one batch per member, [E]: mean NLL over the samples whose weight is 1 plus
// penalty x (sum over those samples and k of logit^2). `sample_weight` [E, B] is 1 for real samples
// and 0 for padding; `real_samples` is their count (the same for every member).
torch::Tensor mdn_batch_loss(const MixtureOutput& mixture, const torch::Tensor& targets,
                             const torch::Tensor& sample_weight, int64_t real_samples,
                             double penalty);

}  // namespace riskstep
