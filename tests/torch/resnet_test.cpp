#include <gtest/gtest.h>

#include "models/vision/resnet.h"

namespace riskstep::vision {
namespace {

// Hand count for a basic-block ResNet with projection shortcuts (1x1 conv + BN) where the
// shape changes: stem conv + BN, per block two 3x3 convs + two BNs, classifier.
int64_t basic_resnet_parameters(int n, int in_channels, int classes) {
  int64_t count = 9 * in_channels * 16 + 2 * 16;
  int in = 16;
  for (int width : {16, 32, 64}) {
    for (int b = 0; b < n; ++b) {
      count += 9 * in * width + 2 * width + 9 * width * width + 2 * width;
      if (in != width) count += in * width + 2 * width;
      in = width;
    }
  }
  return count + 64 * classes + classes;
}

TEST(ResNet, BasicParameterCountMatchesHandCount) {
  ResNetConfig config;
  config.depth = 20;
  EXPECT_EQ(parameter_count(*ResNet(config)), basic_resnet_parameters(3, 3, 10));
  EXPECT_EQ(basic_resnet_parameters(3, 3, 10), 269722 + 2752);  // option-A ResNet-20 + projections
  config.in_channels = 1;
  config.depth = 8;
  EXPECT_EQ(parameter_count(*ResNet(config)), basic_resnet_parameters(1, 1, 10));
}

TEST(ResNet, Bottleneck164IsTheSizeOfThePapersModels) {
  ResNetConfig config;
  config.depth = 164;
  config.block = BlockKind::bottleneck;
  config.num_classes = 100;
  const int64_t plain = parameter_count(*ResNet(config));
  config.attention = AttentionKind::se;
  const int64_t se = parameter_count(*ResNet(config));
  // The study quotes 1.73M (ResNet-164) and 1.93M (with SE) on CIFAR-100.
  EXPECT_NEAR(plain / 1e6, 1.73, 0.03);
  EXPECT_NEAR(se / 1e6, 1.93, 0.05);
  config.attention = AttentionKind::stepnet;
  EXPECT_GT(parameter_count(*ResNet(config)), se);
}

TEST(ResNet, ForwardShapesAndTraces) {
  ResNetConfig config;
  config.depth = 8;
  config.in_channels = 1;
  config.attention = AttentionKind::se;
  ResNet model(config);
  const auto x = torch::randn({2, 1, 28, 28});
  const ForwardOutput output = model->forward_traced(x, true);
  EXPECT_EQ(output.logits.sizes(), (std::vector<int64_t>{2, 10}));
  ASSERT_EQ(output.traces.size(), 3u);
  EXPECT_EQ(output.traces[2].stage, 2);
  EXPECT_EQ(output.traces[2].step.sizes(), (std::vector<int64_t>{2, 64, 7, 7}));
  EXPECT_EQ(output.traces[1].attention.sizes(), (std::vector<int64_t>{2, 32}));
  EXPECT_TRUE(model->forward_traced(x, false).traces.empty());
  EXPECT_TRUE(torch::allclose(model->forward(x), output.logits));
}

TEST(ResNet, NoAttentionTakesTheFullStep) {
  ResNetConfig config;
  config.depth = 8;
  ResNet model(config);
  const auto output = model->forward_traced(torch::randn({2, 3, 32, 32}), true);
  for (const auto& trace : output.traces) {
    EXPECT_FALSE(trace.attention.defined());
    EXPECT_TRUE(trace.step.equal(trace.residual));
  }
}

TEST(ResNet, AttentionOnlyAtChosenBlocks) {
  ResNetConfig config;
  config.depth = 14;  // n = 2: six blocks
  config.attention = AttentionKind::stepnet;
  config.attention_blocks = {1, 4};
  ResNet model(config);
  const auto output = model->forward_traced(torch::randn({1, 3, 16, 16}), true);
  ASSERT_EQ(output.traces.size(), 6u);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(output.traces[i].attention.defined(), i == 1 || i == 4) << i;
  config.attention_blocks = {6};
  EXPECT_THROW(ResNet{config}, std::invalid_argument);
}

TEST(ResNet, RejectsDepthsThatDoNotFitTheBlock) {
  ResNetConfig config;
  config.depth = 21;
  EXPECT_THROW(ResNet{config}, std::invalid_argument);
  config.block = BlockKind::bottleneck;
  config.depth = 50;  // 6n+2 but not 9n+2
  EXPECT_THROW(ResNet{config}, std::invalid_argument);
  config.depth = 20;  // 9n+2 with n = 2 as well
  EXPECT_EQ(blocks_per_stage(config), 2);
  EXPECT_THROW(parse_attention("cbam"), std::invalid_argument);
}

}  // namespace
}  // namespace riskstep::vision
