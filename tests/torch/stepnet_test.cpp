#include <gtest/gtest.h>

#include "models/vision/resnet.h"

namespace riskstep::vision {
namespace {

TEST(StepNet, ChannelStiffnessIsTheLocalLipschitzEstimate) {
  // One sample, two channels, 1x2 spatial.
  const auto F = torch::tensor({3.0f, 4.0f, 1.0f, 1.0f}).view({1, 2, 1, 2});
  const auto F_prev = torch::zeros({1, 2, 1, 2});
  const auto x = torch::tensor({1.0f, 0.0f, 0.0f, 2.0f}).view({1, 2, 1, 2});
  const auto x_prev = torch::zeros({1, 2, 1, 2});
  const auto s = channel_stiffness(F, F_prev, x, x_prev);
  EXPECT_NEAR(s[0][0].item<float>(), 5.0 / (1.0 + 1e-6), 1e-5);
  EXPECT_NEAR(s[0][1].item<float>(), std::sqrt(2.0) / (2.0 + 1e-6), 1e-5);
}

TEST(StepNet, AttentionSeesGapAndLogStiffness) {
  torch::manual_seed(3);
  ResNetConfig config;
  config.depth = 14;  // two blocks per stage
  config.in_channels = 1;
  config.attention = AttentionKind::stepnet;
  ResNet model(config);
  model->eval();
  const auto output = model->forward_traced(torch::randn({3, 1, 12, 12}), true);
  const auto params = model->named_parameters();
  for (size_t i : {0u, 1u}) {  // stage 1: block 0 has s = 0, block 1 measures against block 0
    const BlockTrace& trace = output.traces[i];
    const auto s = i == 0 ? torch::zeros({3, 16})
                          : channel_stiffness(trace.residual, output.traces[0].residual, trace.base,
                                              output.traces[0].base);
    const std::string prefix = "stage1_block" + std::to_string(i) + ".attention.";
    const auto z = torch::cat({trace.residual.mean({2, 3}), torch::log1p(s)}, 1);
    const auto hidden = torch::relu(torch::nn::functional::linear(
        z, params[prefix + "squeeze.weight"], params[prefix + "squeeze.bias"]));
    const auto expected = torch::sigmoid(torch::nn::functional::linear(
        hidden, params[prefix + "excite.weight"], params[prefix + "excite.bias"]));
    EXPECT_TRUE(torch::allclose(trace.attention, expected, 1e-5, 1e-6)) << i;
    EXPECT_TRUE(
        torch::allclose(trace.step, trace.residual * expected.view({3, 16, 1, 1}), 1e-5, 1e-6));
  }
  EXPECT_EQ(params["stage1_block0.attention.squeeze.weight"].size(1), 32);  // [GAP; s]
  EXPECT_EQ(params["stage1_block0.attention.squeeze.weight"].size(0), 4);   // max(16/16, 4)
}

TEST(StepNet, GradientsFlowThroughTheStiffness) {
  const auto F = torch::randn({2, 3, 4, 4}, torch::requires_grad());
  const auto F_prev = torch::randn({2, 3, 4, 4}, torch::requires_grad());
  const auto x = torch::randn({2, 3, 4, 4}, torch::requires_grad());
  const auto x_prev = x.detach().clone().requires_grad_(true);  // zero change: no NaN either
  channel_stiffness(F, F_prev, x, x_prev).sum().backward();
  EXPECT_GT(F.grad().abs().sum().item<float>(), 0.0f);
  EXPECT_TRUE(torch::isfinite(x.grad()).all().item<bool>());
  EXPECT_TRUE(torch::isfinite(x_prev.grad()).all().item<bool>());
}

TEST(StepNet, ClosedFormGradientOfTheStiffnessEqualsAutograds) {
  torch::manual_seed(11);
  auto leaf = [] { return torch::randn({3, 4, 5, 5}, torch::kDouble).requires_grad_(true); };
  std::vector<torch::Tensor> inputs = {leaf(), leaf(), leaf(), leaf()};
  {  // channel 1 of sample 0: F unchanged; channel 2 of sample 1: x unchanged (the norms' zeros)
    torch::NoGradGuard no_grad;
    inputs[1][0][1].copy_(inputs[0][0][1]);
    inputs[3][1][2].copy_(inputs[2][1][2]);
  }
  const auto weights = torch::randn({3, 4}, torch::kDouble);
  auto gradients = [&](auto stiffness) {
    for (auto& t : inputs) t.mutable_grad() = torch::Tensor();
    const auto s = stiffness(inputs[0], inputs[1], inputs[2], inputs[3]);
    (s * weights).sum().backward();
    std::vector<torch::Tensor> grads = {s.detach()};
    for (auto& t : inputs) grads.push_back(t.grad().clone());
    return grads;
  };
  const auto expected = gradients(channel_stiffness_composite);
  const auto actual = gradients(channel_stiffness);
  EXPECT_TRUE(torch::equal(actual[0], expected[0]));  // the same forward operations
  for (size_t i = 1; i < expected.size(); ++i)
    EXPECT_TRUE(torch::allclose(actual[i], expected[i], 1e-12, 1e-12)) << "input " << i - 1;
  EXPECT_EQ(actual[1][0][1].abs().sum().item<double>(), 0.0);
  EXPECT_EQ(actual[3][1][2].abs().sum().item<double>(), 0.0);
}

TEST(StepNet, StiffnessGradientKeepsTheActivationsDtype) {
  auto leaf = [] { return torch::randn({2, 3, 4, 4}).to(torch::kBFloat16).requires_grad_(true); };
  const auto F = leaf(), F_prev = leaf(), x = leaf(), x_prev = leaf();
  channel_stiffness(F, F_prev, x, x_prev).to(torch::kFloat).sum().backward();
  for (const auto& t : {F, F_prev, x, x_prev}) EXPECT_EQ(t.grad().scalar_type(), torch::kBFloat16);
}

TEST(StepNet, TrainsEndToEndOnATinyBatch) {
  torch::manual_seed(5);
  ResNetConfig config;
  config.depth = 8;
  config.in_channels = 1;
  config.attention = AttentionKind::stepnet;
  ResNet model(config);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9));
  const auto x = torch::randn({8, 1, 12, 12});
  const auto y = torch::arange(8) % 10;
  double first = 0, last = 0;
  for (int step = 0; step < 30; ++step) {
    optimizer.zero_grad();
    const auto loss = torch::nn::functional::cross_entropy(model->forward(x), y);
    loss.backward();
    optimizer.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  EXPECT_LT(last, 0.5 * first);
}

}  // namespace
}  // namespace riskstep::vision
