#include "models/var/mdn/mdn_network.h"

#include <cmath>
#include <random>

namespace riskstep {
namespace {

// Portable draws: the standard distributions are implementation-defined, these are not.
double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double standard_normal(std::mt19937_64& rng) {
  const double u1 = 1.0 - uniform01(rng);  // (0, 1]
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

// Glorot-uniform for a Keras kernel of shape (fan_in, fan_out), written row-major at `out`
// with row stride `row_stride` (so blocks of a wider matrix can be filled one at a time).
void glorot_uniform(std::mt19937_64& rng, int fan_in, int fan_out, double* out, int row_stride) {
  const double limit = std::sqrt(6.0 / (fan_in + fan_out));
  for (int i = 0; i < fan_in; ++i)
    for (int j = 0; j < fan_out; ++j)
      out[i * row_stride + j] = (2.0 * uniform01(rng) - 1.0) * limit;
}

// Keras Orthogonal(gain=1) for shape (rows, cols), rows <= cols: QR of a (cols x rows) normal
// matrix, columns sign-corrected by diag(R), transposed.
void orthogonal(std::mt19937_64& rng, int rows, int cols, double* out) {
  std::vector<double> normal(static_cast<size_t>(rows) * cols);
  for (double& value : normal) value = standard_normal(rng);
  const auto a = torch::from_blob(normal.data(), {cols, rows}, torch::kDouble);
  auto [q, r] = torch::linalg_qr(a, "reduced");
  q = q * torch::sign(torch::diagonal(r)).unsqueeze(0);
  const auto qt = q.t().contiguous();
  std::copy(qt.data_ptr<double>(), qt.data_ptr<double>() + rows * cols, out);
}

torch::Tensor activation(const torch::Tensor& x, bool relu) {
  return relu ? torch::relu(x) : torch::tanh(x);
}

}  // namespace

int64_t MdnShape::parameter_count() const {
  const int64_t gates = 4 * hidden;
  return gates + hidden * gates + gates + hidden * dense + dense + dense * 3 * components +
         3 * components;
}

int64_t MdnShape::padded_count() const {
  return (parameter_count() + 31) / 32 * 32;
}

MdnShape mdn_shape(const MdnArchitecture& architecture) {
  if (architecture.components < 1 || architecture.hidden_units < 1 ||
      architecture.dense_units < 1 || architecture.lags < 1)
    throw std::invalid_argument("MDN architecture '" + architecture.name +
                                "': components, hidden_units, dense_units and lags must be >= 1");
  if (architecture.activation != "relu" && architecture.activation != "tanh")
    throw std::invalid_argument("MDN architecture '" + architecture.name + "': activation '" +
                                architecture.activation + "'; expected relu or tanh");
  return {architecture.components, architecture.hidden_units, architecture.dense_units,
          architecture.lags, architecture.activation == "relu"};
}

MdnParameters mdn_parameter_views(const torch::Tensor& flat, const MdnShape& shape) {
  const int64_t E = flat.size(0), H = shape.hidden, D = shape.dense, K = shape.components;
  int64_t offset = 0;
  auto take = [&](int64_t rows, int64_t cols) {
    auto view = flat.narrow(1, offset, rows * cols).view({E, rows, cols});
    offset += rows * cols;
    return view;
  };
  MdnParameters p;
  p.input_kernel = take(1, 4 * H);
  p.recurrent_kernel = take(H, 4 * H);
  p.lstm_bias = take(1, 4 * H);
  p.dense_kernel = take(H, D);
  p.dense_bias = take(1, D);
  p.head_kernel = take(D, 3 * K);
  p.head_bias = take(1, 3 * K);
  return p;
}

std::vector<double> mdn_initial_parameters(const MdnShape& shape, uint64_t seed) {
  const int H = shape.hidden, D = shape.dense, K = shape.components, G = 4 * H;
  std::vector<double> flat(static_cast<size_t>(shape.padded_count()), 0.0);
  std::mt19937_64 rng(seed);
  double* p = flat.data();
  glorot_uniform(rng, 1, G, p, G);  // input kernel (input_dim 1)
  p += G;
  orthogonal(rng, H, G, p);  // recurrent kernel
  p += H * G;
  for (int j = H; j < 2 * H; ++j) p[j] = 1.0;  // unit_forget_bias
  p += G;
  glorot_uniform(rng, H, D, p, D);  // Dense(D)
  p += H * D + D;
  for (int block = 0; block < 3; ++block)  // Dense(K) for mu, sigma, logits
    glorot_uniform(rng, D, K, p + block * K, 3 * K);
  return flat;
}

torch::Tensor lstm_last_hidden(const MdnParameters& parameters, const torch::Tensor& inputs,
                               bool relu) {
  const int64_t H = parameters.recurrent_kernel.size(1), T = inputs.size(2);
  // Input projections of every step at once: [E, B, T, 4H].
  const auto projected = torch::addcmul(parameters.lstm_bias.unsqueeze(1), inputs.unsqueeze(-1),
                                        parameters.input_kernel.unsqueeze(1));
  torch::Tensor h, c;
  for (int64_t t = 0; t < T; ++t) {
    auto z = projected.select(2, t);
    if (t > 0) z = torch::baddbmm(z, h, parameters.recurrent_kernel);
    const auto gates = torch::sigmoid(z);
    const auto i = gates.narrow(2, 0, H), f = gates.narrow(2, H, H), o = gates.narrow(2, 3 * H, H);
    const auto g = activation(z.narrow(2, 2 * H, H), relu);
    c = t == 0 ? i * g : torch::addcmul(f * c, i, g);
    h = o * activation(c, relu);
  }
  return h;
}

MixtureOutput mdn_forward(const MdnParameters& parameters, const torch::Tensor& inputs,
                          const MdnShape& shape) {
  const int64_t K = shape.components;
  const auto h = lstm_last_hidden(parameters, inputs, shape.relu);
  const auto dense = torch::relu(torch::baddbmm(parameters.dense_bias, h, parameters.dense_kernel));
  const auto head = torch::baddbmm(parameters.head_bias, dense, parameters.head_kernel);
  MixtureOutput out;
  out.mu = head.narrow(2, 0, K);
  out.sigma = torch::elu(head.narrow(2, K, K)) + (1.0 + 1e-7);
  out.logits = head.narrow(2, 2 * K, K);
  return out;
}

}  // namespace riskstep
