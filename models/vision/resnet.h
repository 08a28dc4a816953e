#pragma once
// CIFAR-style ResNets (He et al. 2016) with optional channel attention on the residual branch,
// read as a forward-Euler step x_{t+1} = ReLU(shortcut(x_t) + a_t * F(x_t)) (docs/stepnet.md):
//   none    a_t = 1
//   se      a_t = sigmoid(W2 ReLU(W1 GAP(F(x_t))))
//   stepnet a_t = sigmoid(W2 ReLU(W1 [GAP(F(x_t)); log1p(s_t)])), s_t the per-channel stiffness
//           estimate against the previous block of the stage. Our reconstruction of StepNet
//           (Huang et al., ICCV 2023): the paper's exact module is not public.
// The forward pass can also return per-block traces, so stiffness metrics need no second model.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "models/vision/channel_stiffness.h"

namespace riskstep::vision {

enum class BlockKind { basic, bottleneck };
enum class AttentionKind { none, se, stepnet };

AttentionKind parse_attention(const std::string& name);  // "none" | "se" | "stepnet", else throws
std::string attention_name(AttentionKind kind);

struct ResNetConfig {
  int depth = 20;  // basic: 6n+2; bottleneck: 9n+2 (164 -> n = 18)
  BlockKind block = BlockKind::basic;
  int in_channels = 3;  // 1 for Fashion-MNIST
  int num_classes = 10;
  AttentionKind attention = AttentionKind::none;
  std::vector<int> attention_blocks;  // global block indices (0-based) with attention; empty = all
  int reduction = 16;                 // attention hidden width = max(C / reduction, min_hidden)
  int min_hidden = 4;
};

int blocks_per_stage(const ResNetConfig& config);  // n; throws if depth does not fit the block kind

// What block t of a stage did on one batch. `base` is shortcut(x_t): the point the Euler step
// starts from, in the block's output space (it equals x_t unless the block changes the shape).
struct BlockTrace {
  int stage = 0;            // 0..2
  int block = 0;            // index within the stage
  torch::Tensor input;      // x_t
  torch::Tensor base;       // shortcut(x_t)
  torch::Tensor residual;   // F(x_t)
  torch::Tensor step;       // D_t = a_t * F(x_t)
  torch::Tensor attention;  // a_t, shape (N, C); undefined when the block has no attention
};

struct ForwardOutput {
  torch::Tensor logits;
  std::vector<BlockTrace> traces;  // empty unless requested
};

// Channel attention: sigmoid(W2 ReLU(W1 z)), z = GAP(F) or [GAP(F); log1p(s)] for StepNet.
class ChannelAttentionImpl : public torch::nn::Module {
 public:
  ChannelAttentionImpl(int channels, int extra_inputs, int hidden);
  torch::Tensor forward(const torch::Tensor& features);  // (N, channels + extra) -> (N, channels)

 private:
  torch::nn::Linear squeeze_{nullptr}, excite_{nullptr};
};
TORCH_MODULE(ChannelAttention);

class ResidualBlockImpl : public torch::nn::Module {
 public:
  ResidualBlockImpl(BlockKind kind, int in_channels, int planes, int stride,
                    AttentionKind attention, int reduction, int min_hidden);
  // previous: the trace of the previous block of the stage, or nullptr for the first block.
  BlockTrace forward(const torch::Tensor& x, const BlockTrace* previous);
  int out_channels() const { return out_channels_; }
  bool has_attention() const { return attention_kind_ != AttentionKind::none; }

 private:
  torch::Tensor residual_branch(const torch::Tensor& x);

  BlockKind kind_;
  AttentionKind attention_kind_;
  int out_channels_;
  torch::nn::Sequential branch_{nullptr};
  torch::nn::Sequential projection_{nullptr};  // null when the shortcut is the identity
  ChannelAttention attention_{nullptr};
};
TORCH_MODULE(ResidualBlock);

class ResNetImpl : public torch::nn::Module {
 public:
  explicit ResNetImpl(const ResNetConfig& config);
  torch::Tensor forward(const torch::Tensor& x) { return forward_traced(x, false).logits; }
  ForwardOutput forward_traced(const torch::Tensor& x, bool keep_traces);
  const ResNetConfig& config() const { return config_; }

 private:
  ResNetConfig config_;
  torch::nn::Sequential stem_{nullptr};
  std::vector<std::vector<ResidualBlock>> stages_;
  torch::nn::Linear classifier_{nullptr};
};
TORCH_MODULE(ResNet);

int64_t parameter_count(const torch::nn::Module& module);

}  // namespace riskstep::vision
