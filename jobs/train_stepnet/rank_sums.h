#pragma once
// Sums over the ranks of one training: epoch totals, and the per-block NSI and attention
// statistics that each rank gathered on its share of the test images.
#include <vector>

#include "models/vision/stiffness.h"
#include "pipeline/comm/communicator.h"

namespace riskstep {

// Sums `values` over the group in place (nothing to do without one).
void reduce_sum(Communicator* communicator, std::vector<double>& values);

// Merges per-rank statistics; afterwards every rank holds 3 * per_stage entries labelled
// (stage, first_block + index within stage).
void reduce_statistics(Communicator* communicator, std::vector<vision::BlockStatistic>& statistics,
                       int per_stage, int first_block);

}  // namespace riskstep
