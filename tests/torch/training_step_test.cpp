// The capture-ready training step: gradients live in one flat buffer (each .grad a view of it, in
// its parameter's layout), and a step through train_step gives exactly what the textbook loop
// (zero_grad, forward, backward, torch::optim::SGD) gives. That it never synchronises with the
// host on a GPU is tests/mpi/DataParallelNcclGpu.cpp (the GPU kit runs DataParallelNccl*).
#include "jobs/train_stepnet/training_step.h"

#include <gtest/gtest.h>

#include "train_fixtures.h"
#include "training/compute_mode.h"
#include "training/multi_tensor_sgd.h"

namespace riskstep {
namespace {

using testing::random_batch;
using testing::small_stepnet_resnet;

vision::Batch batch_of(int step) {
  return random_batch(step, 6, 12, torch::kCPU);
}

const auto kOptions = torch::optim::SGDOptions(0.05).momentum(0.9).weight_decay(1e-4);

TEST(FlatGradients, EveryGradIsAViewOfTheBufferInItsParametersLayout) {
  auto model = small_stepnet_resnet(torch::kCPU);
  use_channels_last(*model);  // 4-d weights become channels-last, as in bf16 runs
  FlatGradients gradients(model->parameters());
  const auto parameters = model->parameters();
  int64_t elements = 0;
  for (size_t i = 0; i < parameters.size(); ++i) {
    const auto& grad = parameters[i].grad();
    ASSERT_TRUE(grad.defined());
    EXPECT_EQ(grad.strides(), parameters[i].strides()) << "parameter " << i;
    EXPECT_EQ(grad.data_ptr<float>(), gradients.flat().data_ptr<float>() + gradients.offset(i));
    EXPECT_EQ(gradients.offset(i) % 4, 0) << "segments start on 16-byte boundaries";
    elements += parameters[i].numel();
  }
  EXPECT_GE(gradients.flat().numel(), elements);
  EXPECT_LT(gradients.flat().numel(), elements + 4 * int64_t(parameters.size()));
  // Segments run in reverse registration order: the last parameter first.
  EXPECT_EQ(gradients.offset(parameters.size() - 1), 0);

  model->forward(batch_of(0).images).sum().backward();
  EXPECT_TRUE(gradients.attached()) << "backward accumulated in place";
  EXPECT_GT(gradients.flat().abs().sum().item<double>(), 0.0);
  gradients.zero();
  EXPECT_EQ(gradients.flat().abs().sum().item<double>(), 0.0);
  EXPECT_TRUE(gradients.attached());
}

TEST(TrainStep, EqualsTheTextbookLoopBitForBit) {
  auto model = small_stepnet_resnet(torch::kCPU), reference = small_stepnet_resnet(torch::kCPU);
  FlatGradients gradients(model->parameters());
  MultiTensorSgd optimizer(model->parameters(), kOptions);
  torch::optim::SGD reference_optimizer(reference->parameters(), kOptions);
  StepParts parts{model, optimizer, gradients};
  auto loss_total = torch::zeros({}, torch::kFloat64);
  double reference_total = 0.0;
  for (int step = 0; step < 4; ++step) {
    const auto batch = batch_of(step);
    train_step(parts, batch, 12.0, loss_total);  // a share of a global batch of 12

    reference_optimizer.zero_grad();
    const auto loss = torch::nn::functional::cross_entropy(
        reference->forward(batch.images), batch.labels,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
    (loss / 12.0).backward();
    reference_optimizer.step();
    reference_total += loss.item<double>();
  }
  const auto a = model->parameters(), b = reference->parameters();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << "parameter " << i;
  EXPECT_DOUBLE_EQ(loss_total.item<double>(), reference_total);
  EXPECT_TRUE(gradients.attached()) << "the optimiser left the gradients in the buffer";
}

TEST(TrainStep, AnEmptyShareStillSteps) {
  auto model = small_stepnet_resnet(torch::kCPU);
  FlatGradients gradients(model->parameters());
  MultiTensorSgd optimizer(model->parameters(), torch::optim::SGDOptions(0.1).weight_decay(0.5));
  StepParts parts{model, optimizer, gradients};
  auto loss_total = torch::zeros({}, torch::kFloat64);
  const auto before = model->parameters()[0].clone();
  train_step(parts, vision::Batch{}, 12.0, loss_total);
  EXPECT_EQ(loss_total.item<double>(), 0.0);
  // Zero gradient, so only weight decay moved the weights: p * (1 - 0.1 * 0.5).
  EXPECT_TRUE(torch::allclose(model->parameters()[0], before * 0.95));
}

}  // namespace
}  // namespace riskstep
