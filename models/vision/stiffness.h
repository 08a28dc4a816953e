#pragma once
// Neural Stiffness Index (Huang et al., ICCV 2023, as reconstructed in docs/stepnet.md): for
// consecutive blocks t-1, t of a stage and each sample,
//   NSI_t = ||D_t - D_{t-1}||_2 / ||x_t - x_{t-1}||_2,   D_t = a_t * F(x_t) the step taken,
// norms over all of (C, H, W). x_{t-1} is taken in block t's space (BlockTrace::base). The first
// block of a stage has no NSI. Also tracks the mean attention value per block.
#include <torch/torch.h>

#include <vector>

#include "models/vision/resnet.h"

namespace riskstep::vision {

// Per-sample NSI of block `current` against `previous` (same stage, consecutive): shape (N).
torch::Tensor neural_stiffness_index(const BlockTrace& previous, const BlockTrace& current);

struct BlockStatistic {
  int stage = 0;
  int block = 0;
  double sum = 0.0;
  double min = 0.0;
  double max = 0.0;
  int64_t count = 0;
  double mean() const { return count > 0 ? sum / static_cast<double>(count) : 0.0; }
  void add(double sum_of_values, double batch_min, double batch_max, int64_t values);
  void merge(const BlockStatistic& other);  // combine partial statistics, e.g. from another rank
};

// Accumulates NSI and attention over an evaluation set, batch by batch.
class StiffnessAccumulator {
 public:
  void add(const std::vector<BlockTrace>& traces);  // traces of one forward pass, in order
  // One entry per (stage, block >= 1), in stage-major order.
  const std::vector<BlockStatistic>& nsi() const { return nsi_; }
  // Mean of a_t over samples and channels for every block (1 where a block has no attention).
  const std::vector<BlockStatistic>& attention() const { return attention_; }
  std::vector<BlockStatistic>& nsi() { return nsi_; }
  std::vector<BlockStatistic>& attention() { return attention_; }

 private:
  static BlockStatistic& slot(std::vector<BlockStatistic>& list, size_t index, int stage,
                              int block);
  std::vector<BlockStatistic> nsi_;
  std::vector<BlockStatistic> attention_;
};

}  // namespace riskstep::vision
