#include "models/vision/stiffness.h"

#include <algorithm>
#include <stdexcept>

namespace riskstep::vision {

torch::Tensor neural_stiffness_index(const BlockTrace& previous, const BlockTrace& current) {
  if (previous.stage != current.stage || previous.block + 1 != current.block)
    throw std::invalid_argument("neural_stiffness_index: blocks must be consecutive in one stage");
  const auto step_change = (current.step - previous.step).flatten(1).norm(2, {1});
  const auto state_change = (current.base - previous.base).flatten(1).norm(2, {1});
  return step_change / state_change;
}

void BlockStatistic::add(double sum_of_values, double batch_min, double batch_max, int64_t values) {
  if (values == 0) return;
  min = count == 0 ? batch_min : std::min(min, batch_min);
  max = count == 0 ? batch_max : std::max(max, batch_max);
  sum += sum_of_values;
  count += values;
}

void BlockStatistic::merge(const BlockStatistic& other) {
  add(other.sum, other.min, other.max, other.count);
}

BlockStatistic& StiffnessAccumulator::slot(std::vector<BlockStatistic>& list, size_t index,
                                           int stage, int block) {
  if (list.size() <= index) list.resize(index + 1);
  BlockStatistic& entry = list[index];
  entry.stage = stage;
  entry.block = block;
  return entry;
}

void StiffnessAccumulator::add(const std::vector<BlockTrace>& traces) {
  torch::NoGradGuard no_grad;
  size_t nsi_index = 0;
  for (size_t i = 0; i < traces.size(); ++i) {
    const BlockTrace& trace = traces[i];
    const int64_t samples = trace.step.size(0);
    if (trace.attention.defined()) {
      const auto per_sample = trace.attention.to(torch::kFloat64).mean(1);
      slot(attention_, i, trace.stage, trace.block)
          .add(per_sample.sum().item<double>(), per_sample.min().item<double>(),
               per_sample.max().item<double>(), samples);
    } else {
      slot(attention_, i, trace.stage, trace.block)
          .add(static_cast<double>(samples), 1.0, 1.0, samples);
    }
    if (trace.block == 0) continue;
    const auto values = neural_stiffness_index(traces[i - 1], trace).to(torch::kFloat64);
    slot(nsi_, nsi_index++, trace.stage, trace.block)
        .add(values.sum().item<double>(), values.min().item<double>(), values.max().item<double>(),
             samples);
  }
}

}  // namespace riskstep::vision
