#pragma once
// Adam over the rows of an [E, P] parameter tensor, in the Keras/TensorFlow form:
//   lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t),  p -= lr_t m / (sqrt(v) + epsilon)
// (epsilon on the uncorrected sqrt(v), unlike torch.optim.Adam). Rows share the step count t;
// members that stop are removed with keep_rows(), so a stopped member is never touched again.
#include <torch/torch.h>

namespace riskstep {

class EnsembleAdam {
 public:
  EnsembleAdam(const torch::Tensor& parameters, double learning_rate, double beta1, double beta2,
               double epsilon);
  void step(torch::Tensor& parameters, const torch::Tensor& gradient);
  void keep_rows(const torch::Tensor& rows);  // int64 row indexes to keep, in order

 private:
  double learning_rate_, beta1_, beta2_, epsilon_;
  int64_t steps_ = 0;
  torch::Tensor first_moment_, second_moment_;
};

}  // namespace riskstep
