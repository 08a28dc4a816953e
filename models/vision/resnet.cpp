#include "models/vision/resnet.h"

#include <algorithm>
#include <stdexcept>

namespace riskstep::vision {

AttentionKind parse_attention(const std::string& name) {
  if (name == "none") return AttentionKind::none;
  if (name == "se") return AttentionKind::se;
  if (name == "stepnet") return AttentionKind::stepnet;
  throw std::invalid_argument("attention: expected none, se or stepnet, got '" + name + "'");
}

std::string attention_name(AttentionKind kind) {
  switch (kind) {
    case AttentionKind::none:
      return "none";
    case AttentionKind::se:
      return "se";
    case AttentionKind::stepnet:
      return "stepnet";
  }
  return "?";
}

int blocks_per_stage(const ResNetConfig& config) {
  const int layers_per_block = config.block == BlockKind::basic ? 6 : 9;
  if (config.depth < layers_per_block + 2 || (config.depth - 2) % layers_per_block != 0)
    throw std::invalid_argument("depth: " + std::to_string(config.depth) + " does not fit " +
                                (config.block == BlockKind::basic
                                     ? "basic blocks (6n+2, e.g. 20, 56, 110)"
                                     : "bottleneck blocks (9n+2, e.g. 164)"));
  return (config.depth - 2) / layers_per_block;
}

namespace {

torch::nn::Conv2d conv(int in, int out, int kernel, int stride) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}

torch::nn::BatchNorm2d batch_norm(int channels) {
  return torch::nn::BatchNorm2d(channels);
}

}  // namespace

ChannelAttentionImpl::ChannelAttentionImpl(int channels, int extra_inputs, int hidden)
    : squeeze_(register_module("squeeze", torch::nn::Linear(channels + extra_inputs, hidden))),
      excite_(register_module("excite", torch::nn::Linear(hidden, channels))) {}

torch::Tensor ChannelAttentionImpl::forward(const torch::Tensor& features) {
  return torch::sigmoid(excite_(torch::relu(squeeze_(features))));
}

ResidualBlockImpl::ResidualBlockImpl(BlockKind kind, int in_channels, int planes, int stride,
                                     AttentionKind attention, int reduction, int min_hidden)
    : kind_(kind), attention_kind_(attention) {
  torch::nn::Sequential branch;
  if (kind == BlockKind::basic) {
    out_channels_ = planes;
    branch->push_back(conv(in_channels, planes, 3, stride));
    branch->push_back(batch_norm(planes));
    branch->push_back(torch::nn::ReLU());
    branch->push_back(conv(planes, planes, 3, 1));
    branch->push_back(batch_norm(planes));
  } else {
    out_channels_ = planes * 4;
    branch->push_back(conv(in_channels, planes, 1, 1));
    branch->push_back(batch_norm(planes));
    branch->push_back(torch::nn::ReLU());
    branch->push_back(conv(planes, planes, 3, stride));
    branch->push_back(batch_norm(planes));
    branch->push_back(torch::nn::ReLU());
    branch->push_back(conv(planes, out_channels_, 1, 1));
    branch->push_back(batch_norm(out_channels_));
  }
  branch_ = register_module("branch", branch);
  if (stride != 1 || in_channels != out_channels_) {
    torch::nn::Sequential projection;
    projection->push_back(conv(in_channels, out_channels_, 1, stride));
    projection->push_back(batch_norm(out_channels_));
    projection_ = register_module("projection", projection);
  }
  if (attention != AttentionKind::none) {
    const int hidden = std::max(out_channels_ / reduction, min_hidden);
    const int extra = attention == AttentionKind::stepnet ? out_channels_ : 0;
    attention_ = register_module("attention", ChannelAttention(out_channels_, extra, hidden));
  }
}

BlockTrace ResidualBlockImpl::forward(const torch::Tensor& x, const BlockTrace* previous) {
  BlockTrace trace;
  trace.input = x;
  trace.base = projection_ ? projection_->forward(x) : x;
  trace.residual = branch_->forward(x);
  const auto& F = trace.residual;
  if (attention_kind_ == AttentionKind::none) {
    trace.step = F;
    return trace;
  }
  auto pooled = F.mean({2, 3});
  if (attention_kind_ == AttentionKind::stepnet) {
    // The previous block's Euler step started from previous->base; that is x_{t-1} seen in this
    // block's space (identical to x_{t-1} unless the previous block changed the shape).
    const auto stiffness =
        previous == nullptr ? torch::zeros_like(pooled)
                            : channel_stiffness(F, previous->residual, trace.base, previous->base);
    pooled = torch::cat({pooled, torch::log1p(stiffness)}, 1);
  }
  trace.attention = attention_->forward(pooled);
  trace.step = F * trace.attention.unsqueeze(2).unsqueeze(3);
  return trace;
}

ResNetImpl::ResNetImpl(const ResNetConfig& config) : config_(config) {
  const int n = blocks_per_stage(config);
  const int expansion = config.block == BlockKind::basic ? 1 : 4;
  torch::nn::Sequential stem;
  stem->push_back(conv(config.in_channels, 16, 3, 1));
  stem->push_back(batch_norm(16));
  stem->push_back(torch::nn::ReLU());
  stem_ = register_module("stem", stem);

  const int total_blocks = 3 * n;
  for (int b : config.attention_blocks)
    if (b < 0 || b >= total_blocks)
      throw std::invalid_argument("attention blocks: index " + std::to_string(b) + " outside 0.." +
                                  std::to_string(total_blocks - 1));
  auto wants_attention = [&](int global_index) {
    return config.attention_blocks.empty() ||
           std::find(config.attention_blocks.begin(), config.attention_blocks.end(),
                     global_index) != config.attention_blocks.end();
  };

  int in_channels = 16;
  const int widths[3] = {16, 32, 64};
  for (int stage = 0; stage < 3; ++stage) {
    std::vector<ResidualBlock> blocks;
    for (int b = 0; b < n; ++b) {
      const int stride = (stage > 0 && b == 0) ? 2 : 1;
      const AttentionKind attention =
          wants_attention(stage * n + b) ? config.attention : AttentionKind::none;
      ResidualBlock block(config.block, in_channels, widths[stage], stride, attention,
                          config.reduction, config.min_hidden);
      register_module("stage" + std::to_string(stage + 1) + "_block" + std::to_string(b), block);
      in_channels = block->out_channels();
      blocks.push_back(block);
    }
    stages_.push_back(blocks);
  }
  classifier_ =
      register_module("classifier", torch::nn::Linear(64 * expansion, config.num_classes));

  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* c = module->as<torch::nn::Conv2d>()) {
      torch::nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
    } else if (auto* bn = module->as<torch::nn::BatchNorm2d>()) {
      torch::nn::init::ones_(bn->weight);
      torch::nn::init::zeros_(bn->bias);
    }
  }
}

ForwardOutput ResNetImpl::forward_traced(const torch::Tensor& x, bool keep_traces) {
  ForwardOutput output;
  auto h = stem_->forward(x);
  for (size_t stage = 0; stage < stages_.size(); ++stage) {
    BlockTrace previous;
    for (size_t b = 0; b < stages_[stage].size(); ++b) {
      BlockTrace trace = stages_[stage][b]->forward(h, b == 0 ? nullptr : &previous);
      trace.stage = static_cast<int>(stage);
      trace.block = static_cast<int>(b);
      h = torch::relu(trace.base + trace.step);
      if (keep_traces) output.traces.push_back(trace);
      previous = std::move(trace);
    }
  }
  h = h.mean({2, 3});
  output.logits = classifier_->forward(h);
  return output;
}

int64_t parameter_count(const torch::nn::Module& module) {
  int64_t count = 0;
  for (const auto& p : module.parameters()) count += p.numel();
  return count;
}

}  // namespace riskstep::vision
