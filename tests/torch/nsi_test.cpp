#include <gtest/gtest.h>

#include "models/vision/stiffness.h"

namespace riskstep::vision {
namespace {

BlockTrace trace(int block, std::vector<float> base, std::vector<float> step) {
  BlockTrace t;
  t.stage = 0;
  t.block = block;
  t.base = torch::tensor(base).view({2, 1, 1, 2});
  t.input = t.base;
  t.step = torch::tensor(step).view({2, 1, 1, 2});
  t.residual = t.step;
  return t;
}

// Two samples, two blocks. Sample 0: D changes by (3, 4), x by (1, 0): NSI 5.
// Sample 1: D changes by (0, 2), x by (0, 4): NSI 0.5.
TEST(Nsi, TwoBlockExampleEqualsTheFormula) {
  const BlockTrace first = trace(0, {0, 0, 0, 0}, {1, 0, 0, 0});
  const BlockTrace second = trace(1, {1, 0, 0, 4}, {4, 4, 0, 2});
  const auto nsi = neural_stiffness_index(first, second);
  EXPECT_NEAR(nsi[0].item<float>(), 5.0, 1e-6);
  EXPECT_NEAR(nsi[1].item<float>(), 0.5, 1e-6);

  StiffnessAccumulator accumulator;
  accumulator.add({first, second});
  ASSERT_EQ(accumulator.nsi().size(), 1u);
  const BlockStatistic& entry = accumulator.nsi()[0];
  EXPECT_EQ(entry.block, 1);
  EXPECT_EQ(entry.count, 2);
  EXPECT_NEAR(entry.mean(), 2.75, 1e-9);
  EXPECT_NEAR(entry.min, 0.5, 1e-9);
  EXPECT_NEAR(entry.max, 5.0, 1e-9);
  ASSERT_EQ(accumulator.attention().size(), 2u);
  EXPECT_DOUBLE_EQ(accumulator.attention()[1].mean(), 1.0);  // no attention module: a = 1
}

TEST(Nsi, AccumulatesOverBatchesAndMergesPartials) {
  const BlockTrace first = trace(0, {0, 0, 0, 0}, {1, 0, 0, 0});
  const BlockTrace second = trace(1, {1, 0, 0, 4}, {4, 4, 0, 2});
  StiffnessAccumulator a, b;
  a.add({first, second});
  b.add({first, second});
  b.add({first, second});
  BlockStatistic merged = a.nsi()[0];
  merged.merge(b.nsi()[0]);
  EXPECT_EQ(merged.count, 6);
  EXPECT_NEAR(merged.mean(), 2.75, 1e-9);
  EXPECT_NEAR(merged.max, 5.0, 1e-9);
}

TEST(Nsi, AttentionMeanPerBlock) {
  BlockTrace first = trace(0, {0, 0, 0, 0}, {1, 0, 0, 0});
  first.attention = torch::tensor({0.2f, 0.6f}).view({2, 1});
  StiffnessAccumulator accumulator;
  accumulator.add({first});
  EXPECT_NEAR(accumulator.attention()[0].mean(), 0.4, 1e-6);
  EXPECT_NEAR(accumulator.attention()[0].min, 0.2, 1e-6);
  EXPECT_TRUE(accumulator.nsi().empty());  // the first block of a stage has no NSI
}

TEST(Nsi, RejectsBlocksThatAreNotConsecutive) {
  EXPECT_THROW(neural_stiffness_index(trace(0, {0, 0, 0, 0}, {0, 0, 0, 0}),
                                      trace(2, {1, 1, 1, 1}, {0, 0, 0, 0})),
               std::invalid_argument);
}

}  // namespace
}  // namespace riskstep::vision
