// What StepNet's stiffness input costs (issue 10): forward + backward of a ResNet with no
// attention, SE attention and StepNet attention on the same batch, and the stiffness alone, in
// its closed-form autograd node (what the model uses) against ordinary autograd's composite.
//
//   build/bench/stepnet_block_cost [--device cpu|cuda] [--batch 128] [--depth 20] [--steps 20]
//
// Fashion-MNIST shapes (1 x 28 x 28). Medians over the timed steps, after warm-up steps.
// Timings, so never part of ctest.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

#include "models/vision/resnet.h"

namespace {

using riskstep::vision::AttentionKind;

// Median seconds of one call; the final .item() waits for the device, so GPU time is counted.
double median_seconds(const std::function<torch::Tensor()>& step, int steps) {
  for (int i = 0; i < 3; ++i) step().item<float>();
  std::vector<double> times;
  for (int i = 0; i < steps; ++i) {
    const auto start = std::chrono::steady_clock::now();
    step().item<float>();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

double model_step_seconds(AttentionKind attention, int depth, const torch::Tensor& images,
                          const torch::Tensor& labels, int steps) {
  torch::manual_seed(0);
  riskstep::vision::ResNetConfig config;
  config.depth = depth;
  config.in_channels = 1;
  config.attention = attention;
  riskstep::vision::ResNet model(config);
  model->to(images.device());
  return median_seconds(
      [&] {
        model->zero_grad();
        auto loss = torch::nn::functional::cross_entropy(model->forward(images), labels);
        loss.backward();
        return loss.detach();
      },
      steps);
}

using Stiffness = torch::Tensor (*)(const torch::Tensor&, const torch::Tensor&,
                                    const torch::Tensor&, const torch::Tensor&);

double stiffness_seconds(Stiffness stiffness, const torch::Tensor& like, int steps) {
  auto leaf = [&] { return torch::randn_like(like).requires_grad_(true); };
  std::vector<torch::Tensor> in = {leaf(), leaf(), leaf(), leaf()};
  return median_seconds(
      [&] {
        for (auto& t : in) t.mutable_grad() = torch::Tensor();
        auto s = stiffness(in[0], in[1], in[2], in[3]).sum();
        s.backward();
        return s.detach();
      },
      steps);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"StepNet's stiffness cost: ResNet none/se/stepnet, forward + backward"};
  std::string device = "cpu";
  int batch = 128, depth = 20, steps = 20;
  app.add_option("--device", device, "cpu or cuda[:i]");
  app.add_option("--batch", batch, "Images per step");
  app.add_option("--depth", depth, "ResNet depth (6n+2)");
  app.add_option("--steps", steps, "Timed steps per configuration")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  const torch::Device on(device);
  torch::manual_seed(1);
  const auto images = torch::randn({batch, 1, 28, 28}).to(on);
  const auto labels = torch::randint(10, {batch}, torch::kLong).to(on);

  std::printf("ResNet-%d, batch %d, %s, median of %d steps (forward + backward)\n", depth, batch,
              device.c_str(), steps);
  const double none = model_step_seconds(AttentionKind::none, depth, images, labels, steps);
  const double se = model_step_seconds(AttentionKind::se, depth, images, labels, steps);
  const double stepnet = model_step_seconds(AttentionKind::stepnet, depth, images, labels, steps);
  std::printf(
      "  none     %8.2f ms\n  se       %8.2f ms  (%.2fx none)\n"
      "  stepnet  %8.2f ms  (%.2fx none, %.2fx se)\n",
      1e3 * none, 1e3 * se, se / none, 1e3 * stepnet, stepnet / none, stepnet / se);

  // The largest activation the stiffness sees: stage 1, 16 channels at full resolution.
  const auto like = torch::empty({batch, 16, 28, 28}, images.options());
  const double composite =
      stiffness_seconds(riskstep::vision::channel_stiffness_composite, like, steps);
  const double closed_form = stiffness_seconds(riskstep::vision::channel_stiffness, like, steps);
  std::printf(
      "stiffness alone on (%d, 16, 28, 28), forward + backward:\n"
      "  autograd composite %8.3f ms\n  closed-form node   %8.3f ms  (%.2fx faster)\n",
      batch, 1e3 * composite, 1e3 * closed_form, composite / closed_form);
  return 0;
}
