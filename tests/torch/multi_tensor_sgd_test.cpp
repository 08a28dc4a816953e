// MultiTensorSgd steps exactly as torch::optim::SGD: the same parameters and momentum buffers bit
// for bit after several steps, for each combination of weight decay, momentum, dampening and
// Nesterov, with a parameter that has no gradient in some steps, and across a checkpoint.
#include "training/multi_tensor_sgd.h"

#include <gtest/gtest.h>

#include <sstream>

namespace riskstep {
namespace {

torch::nn::Sequential small_net() {
  torch::manual_seed(7);
  return torch::nn::Sequential(torch::nn::Conv2d(torch::nn::Conv2dOptions(2, 4, 3)),
                               torch::nn::BatchNorm2d(4), torch::nn::Flatten(),
                               torch::nn::Linear(4 * 4 * 4, 3));
}

// Gives every parameter the same pseudo-random gradient in both nets (none to the last one on
// odd steps: a parameter that took no part).
void set_gradients(torch::nn::Sequential& a, torch::nn::Sequential& b, int step) {
  auto pa = a->parameters(), pb = b->parameters();
  torch::manual_seed(100 + step);
  for (size_t i = 0; i < pa.size(); ++i) {
    if (i + 1 == pa.size() && step % 2 == 1) {
      pa[i].mutable_grad() = torch::Tensor();
      pb[i].mutable_grad() = torch::Tensor();
      continue;
    }
    const auto g = torch::randn_like(pa[i]);
    pa[i].mutable_grad() = g.clone();
    pb[i].mutable_grad() = g.clone();
  }
}

void expect_equal_parameters(torch::nn::Sequential& a, torch::nn::Sequential& b) {
  auto pa = a->parameters(), pb = b->parameters();
  for (size_t i = 0; i < pa.size(); ++i)
    EXPECT_TRUE(torch::equal(pa[i], pb[i])) << "parameter " << i;
}

void check(const torch::optim::SGDOptions& options) {
  auto reference = small_net(), multi = small_net();
  torch::optim::SGD sgd(reference->parameters(), options);
  MultiTensorSgd foreach_sgd(multi->parameters(), options);
  for (int step = 0; step < 5; ++step) {
    set_gradients(reference, multi, step);
    sgd.step();
    foreach_sgd.step();
    expect_equal_parameters(reference, multi);
  }
  // A checkpoint of one continues in the other.
  std::stringstream saved;
  {
    torch::serialize::OutputArchive archive;
    foreach_sgd.save(archive);
    archive.save_to(saved);
  }
  torch::optim::SGD resumed(multi->parameters(), options);
  torch::serialize::InputArchive archive;
  archive.load_from(saved);
  resumed.load(archive);
  set_gradients(reference, multi, 6);
  sgd.step();
  resumed.step();
  expect_equal_parameters(reference, multi);
}

TEST(MultiTensorSgd, EqualsSgdBitForBit) {
  check(torch::optim::SGDOptions(0.1).momentum(0.9).weight_decay(5e-4));  // the training's
  check(torch::optim::SGDOptions(0.05));
  check(torch::optim::SGDOptions(0.1).momentum(0.9).nesterov(true));
  check(torch::optim::SGDOptions(0.1).momentum(0.8).dampening(0.1).weight_decay(1e-3));
}

}  // namespace
}  // namespace riskstep
