// The LSTM-MDN building blocks: Keras parameter counts and initialisation, the relu/tanh LSTM cell
// against a hand-computed example, the mixture NLL and its gradient, early stopping.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "models/var/mdn/early_stopping.h"
#include "models/var/mdn/mdn_network.h"
#include "models/var/mdn/mixture_nll.h"

namespace riskstep {
namespace {

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

TEST(MdnNetwork, ParameterCountsMatchKeras) {
  EXPECT_EQ(mdn_shape(mdn_architecture("mdn2")).parameter_count(), 328);
  EXPECT_EQ(mdn_shape(mdn_architecture("mdn2reg")).parameter_count(), 328);
  EXPECT_EQ(mdn_shape(mdn_architecture("mdn3")).parameter_count(), 361);
  EXPECT_EQ(mdn_shape(mdn_architecture("mdn3")).padded_count() % 32, 0);
  EXPECT_EQ(mdn_architecture("mdn2reg").logit_penalty, 0.1);
  EXPECT_EQ(mdn_architecture("mdn3-tanh").activation, "tanh");
  try {
    mdn_architecture("mdn4");
    FAIL() << "expected a throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("mdn2reg"), std::string::npos) << e.what();
  }
}

TEST(MdnNetwork, KerasInitialisation) {
  const MdnShape shape = mdn_shape(mdn_architecture("mdn2"));
  const auto values = mdn_initial_parameters(shape, 7);
  ASSERT_EQ(static_cast<int64_t>(values.size()), shape.padded_count());
  const auto flat = torch::tensor(values, torch::kDouble).unsqueeze(0);
  const MdnParameters p = mdn_parameter_views(flat, shape);
  const auto u = p.recurrent_kernel[0];  // [6, 24] with orthonormal rows
  EXPECT_TRUE(torch::allclose(torch::mm(u, u.t()), torch::eye(6, torch::kDouble), 0, 1e-12));
  const auto bias = p.lstm_bias[0][0];
  EXPECT_EQ(bias.narrow(0, 6, 6).sum().item<double>(), 6.0);  // forget gate
  EXPECT_EQ(bias.abs().sum().item<double>(), 6.0);            // everything else zero
  EXPECT_LE(p.input_kernel.abs().max().item<double>(), std::sqrt(6.0 / 25.0));
  EXPECT_LE(p.dense_kernel.abs().max().item<double>(), std::sqrt(6.0 / 16.0));
  EXPECT_LE(p.head_kernel.abs().max().item<double>(), std::sqrt(6.0 / 12.0));
  EXPECT_GT(p.head_kernel.abs().max().item<double>(), 0.5 * std::sqrt(6.0 / 12.0));
  EXPECT_EQ(p.dense_bias.abs().sum().item<double>() + p.head_bias.abs().sum().item<double>(), 0.0);
  EXPECT_EQ(values, mdn_initial_parameters(shape, 7));
  EXPECT_NE(values, mdn_initial_parameters(shape, 8));
}

// H = 1, two steps, gate order i, f, c, o; weights chosen so that the relu clips the second
// candidate (the tanh variant does not).
void expect_two_step_cell(bool relu, double expected_h) {
  const MdnShape shape{1, 1, 1, 2, relu};
  const auto flat = torch::zeros({1, shape.padded_count()}, torch::kDouble);
  const MdnParameters p = mdn_parameter_views(flat, shape);
  p.input_kernel.copy_(torch::tensor({0.2, -0.3, 0.4, 0.1}, torch::kDouble).view({1, 1, 4}));
  p.recurrent_kernel.copy_(torch::tensor({0.5, 0.6, -0.7, 0.8}, torch::kDouble).view({1, 1, 4}));
  p.lstm_bias.copy_(torch::tensor({0.1, 1.0, 0.0, -0.1}, torch::kDouble).view({1, 1, 4}));
  const auto inputs = torch::tensor({0.5, -1.0}, torch::kDouble).view({1, 1, 2});
  const double h = lstm_last_hidden(p, inputs, relu).item<double>();

  auto act = [relu](double x) { return relu ? std::max(x, 0.0) : std::tanh(x); };
  // Step 1 (h0 = c0 = 0): z = 0.5 * Wx + b.
  const double c1 = sigmoid(0.2) * act(0.2);
  const double h1 = sigmoid(-0.05) * act(c1);
  // Step 2: z = -1 * Wx + b + h1 * Wh.
  const double c2 = sigmoid(1.3 + 0.6 * h1) * c1 + sigmoid(-0.1 + 0.5 * h1) * act(-0.4 - 0.7 * h1);
  const double h2 = sigmoid(-0.2 + 0.8 * h1) * act(c2);
  EXPECT_NEAR(h2, expected_h, 1e-15);  // the formulas above, evaluated independently in Python
  EXPECT_NEAR(h, h2, 1e-15);
}

TEST(MdnNetwork, ReluCellMatchesHandComputedTwoSteps) {
  expect_two_step_cell(true, 0.04009238069446496);
}

TEST(MdnNetwork, TanhCellMatchesHandComputedTwoSteps) {
  expect_two_step_cell(false, -0.05142591162994409);
}

MixtureOutput test_mixture(const torch::Tensor& raw, int64_t K) {
  return {raw.narrow(2, 0, K), torch::elu(raw.narrow(2, K, K)) + (1.0 + 1e-7),
          raw.narrow(2, 2 * K, K)};
}

TEST(MdnMixtureNll, MatchesTheMixtureDensity) {
  // One sample, K = 2: mu (0.01, -0.02), raw sigma (-0.5, 0.3), logits (0.2, -0.4), y = 0.005.
  const auto raw =
      torch::tensor({0.01, -0.02, -0.5, 0.3, 0.2, -0.4}, torch::kDouble).view({1, 1, 6});
  const auto y = torch::tensor({0.005}, torch::kDouble).view({1, 1});
  const double nll = mixture_nll(test_mixture(raw, 2), y).item<double>();
  const double s1 = std::exp(-0.5) - 1 + 1 + 1e-7, s2 = 0.3 + 1 + 1e-7;
  const double w1 = std::exp(0.2) / (std::exp(0.2) + std::exp(-0.4)), w2 = 1 - w1;
  auto pdf = [](double y, double m, double s) {
    return std::exp(-0.5 * (y - m) * (y - m) / (s * s)) / (s * std::sqrt(2 * M_PI));
  };
  EXPECT_NEAR(nll, -std::log(w1 * pdf(0.005, 0.01, s1) + w2 * pdf(0.005, -0.02, s2)), 1e-14);
}

TEST(MdnMixtureNll, GradientMatchesFiniteDifferences) {
  for (int64_t K : {2, 3}) {
    for (double penalty : {0.0, 0.1}) {
      torch::manual_seed(11);
      const int64_t E = 2, B = 5;
      // Returns-sized targets and means, some raw sigmas negative (ELU branch), wide logits.
      auto raw = torch::randn({E, B, 3 * K}, torch::kDouble);
      raw.narrow(2, 0, K).mul_(0.02);
      raw.narrow(2, 2 * K, K).mul_(3.0);
      const auto y = 0.02 * torch::randn({E, B}, torch::kDouble);
      auto weight = torch::ones({E, B}, torch::kDouble);
      weight.narrow(1, B - 1, 1).zero_();  // a padding sample must not contribute
      auto loss_of = [&](const torch::Tensor& r) {
        return mdn_batch_loss(test_mixture(r, K), y, weight, B - 1, penalty).sum();
      };
      const auto leaf = raw.clone().requires_grad_(true);
      loss_of(leaf).backward();
      const auto analytic = leaf.grad();
      auto numeric = torch::zeros_like(raw);
      const double h = 1e-6;
      auto r = raw.clone();
      auto rv = r.view({-1});
      auto nv = numeric.view({-1});
      for (int64_t i = 0; i < rv.numel(); ++i) {
        const double x = rv[i].item<double>();
        rv[i] = x + h;
        const double up = loss_of(r).item<double>();
        rv[i] = x - h;
        const double down = loss_of(r).item<double>();
        rv[i] = x;
        nv[i] = (up - down) / (2 * h);
      }
      EXPECT_TRUE(torch::allclose(analytic, numeric, 1e-6, 1e-7))
          << "K=" << K << " penalty=" << penalty << "\n"
          << (analytic - numeric).abs().max().item<double>();
      EXPECT_EQ(analytic.select(1, B - 1).abs().sum().item<double>(), 0.0);
    }
  }
}

TEST(MdnEarlyStopping, StopsAfterPatienceEpochsWithoutStrictImprovement) {
  EarlyStopping stopping(3);
  EXPECT_FALSE(stopping.should_stop(1.0));
  EXPECT_FALSE(stopping.should_stop(0.9));
  EXPECT_FALSE(stopping.should_stop(0.9));  // equal is no improvement (min_delta 0)
  EXPECT_FALSE(stopping.should_stop(0.95));
  EXPECT_FALSE(stopping.should_stop(0.8));  // improvement resets the count
  EXPECT_FALSE(stopping.should_stop(0.85));
  EXPECT_FALSE(stopping.should_stop(0.8));
  EXPECT_TRUE(stopping.should_stop(0.81));
  EXPECT_EQ(stopping.best(), 0.8);

  EarlyStopping with_nan(2);
  EXPECT_FALSE(with_nan.should_stop(1.0));
  EXPECT_FALSE(with_nan.should_stop(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_TRUE(with_nan.should_stop(std::numeric_limits<double>::quiet_NaN()));
}

}  // namespace
}  // namespace riskstep
