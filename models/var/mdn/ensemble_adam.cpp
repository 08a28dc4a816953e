#include "models/var/mdn/ensemble_adam.h"

#include <cmath>

namespace riskstep {

EnsembleAdam::EnsembleAdam(const torch::Tensor& parameters, double learning_rate, double beta1,
                           double beta2, double epsilon)
    : learning_rate_(learning_rate),
      beta1_(beta1),
      beta2_(beta2),
      epsilon_(epsilon),
      first_moment_(torch::zeros_like(parameters)),
      second_moment_(torch::zeros_like(parameters)) {}

void EnsembleAdam::step(torch::Tensor& parameters, const torch::Tensor& gradient) {
  at::NoGradGuard no_grad;
  ++steps_;
  const double t = static_cast<double>(steps_);
  const double lr_t =
      learning_rate_ * std::sqrt(1.0 - std::pow(beta2_, t)) / (1.0 - std::pow(beta1_, t));
  first_moment_.mul_(beta1_).add_(gradient, 1.0 - beta1_);
  second_moment_.mul_(beta2_).addcmul_(gradient, gradient, 1.0 - beta2_);
  parameters.addcdiv_(first_moment_, second_moment_.sqrt().add_(epsilon_), -lr_t);
}

void EnsembleAdam::keep_rows(const torch::Tensor& rows) {
  first_moment_ = first_moment_.index_select(0, rows);
  second_moment_ = second_moment_.index_select(0, rows);
}

}  // namespace riskstep
