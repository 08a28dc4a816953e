#include "jobs/train_stepnet/rank_sums.h"

namespace riskstep {

void reduce_sum(Communicator* communicator, std::vector<double>& values) {
  if (communicator != nullptr && communicator->size() > 1)
    communicator->allreduce_sum(values.data(), values.size(), ElementType::float64);
}

// Each rank fills its slot of a zeroed array; the sum gathers them.
void reduce_statistics(Communicator* communicator, std::vector<vision::BlockStatistic>& statistics,
                       int per_stage, int first_block) {
  const size_t expected = size_t(3 * per_stage);
  statistics.resize(expected);
  const int ranks = communicator == nullptr ? 1 : communicator->size();
  const int rank = communicator == nullptr ? 0 : communicator->rank();
  std::vector<double> slots(size_t(ranks) * expected * 4, 0.0);
  for (size_t i = 0; i < expected; ++i) {
    double* slot = &slots[(size_t(rank) * expected + i) * 4];
    slot[0] = statistics[i].sum;
    slot[1] = double(statistics[i].count);
    slot[2] = statistics[i].min;
    slot[3] = statistics[i].max;
  }
  reduce_sum(communicator, slots);
  for (size_t i = 0; i < expected; ++i) {
    vision::BlockStatistic merged;
    merged.stage = int(i) / per_stage;
    merged.block = first_block + int(i) % per_stage;
    for (int r = 0; r < ranks; ++r) {
      const double* slot = &slots[(size_t(r) * expected + i) * 4];
      merged.add(slot[0], slot[2], slot[3], int64_t(slot[1]));
    }
    statistics[i] = merged;
  }
}

}  // namespace riskstep
