#pragma once
// The LSTM-MDN network on a leading ensemble dimension E (internal, LibTorch types).
// Parameters of all members live in one flat [E, P_padded] tensor; the structured tensors below
// are views into it, so one optimizer step updates every member with a handful of ops.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "models/var/mdn/mdn_ensemble.h"

namespace riskstep {

struct MdnShape {
  int components = 2, hidden = 6, dense = 10, lags = 10;
  bool relu = true;  // cell/output activation relu (else tanh); gates are always sigmoid
  int64_t parameter_count() const;  // 328 for K=2, 361 for K=3 (Keras model.count_params())
  // Row width of the flat parameter tensor: parameter_count() rounded up to 32 floats, so every
  // member's slice starts on a 128-byte boundary and elementwise kernels treat each member alike
  // whatever E is (no member falls into a scalar remainder loop).
  int64_t padded_count() const;
};
MdnShape mdn_shape(const MdnArchitecture& architecture);

// Keras layouts: gate order i, f, c, o along the 4H axis; z = x W_x + h W_h + b.
struct MdnParameters {
  torch::Tensor input_kernel;      // [E, 1, 4H]
  torch::Tensor recurrent_kernel;  // [E, H, 4H]
  torch::Tensor lstm_bias;         // [E, 1, 4H]
  torch::Tensor dense_kernel;      // [E, H, D]
  torch::Tensor dense_bias;        // [E, 1, D]
  torch::Tensor head_kernel;       // [E, D, 3K]: columns mu | sigma | logits (three Dense(K))
  torch::Tensor head_bias;         // [E, 1, 3K]
};
MdnParameters mdn_parameter_views(const torch::Tensor& flat, const MdnShape& shape);

// Keras default initialisation from the member's own seed (std::mt19937_64, portable transforms):
// Glorot-uniform kernels, orthogonal recurrent kernel, zero biases, forget-gate bias 1.
// Returns padded_count() doubles (padding zero).
std::vector<double> mdn_initial_parameters(const MdnShape& shape, uint64_t seed);

// Last hidden state [E, B, H] of the LSTM over inputs [E, B, T] (one feature per step).
torch::Tensor lstm_last_hidden(const MdnParameters& parameters, const torch::Tensor& inputs,
                               bool relu);

struct MixtureOutput {
  torch::Tensor mu, sigma, logits;  // [E, B, K]; sigma = ELU + 1 + 1e-7, weights = softmax(logits)
};
MixtureOutput mdn_forward(const MdnParameters& parameters, const torch::Tensor& inputs,
                          const MdnShape& shape);

}  // namespace riskstep
