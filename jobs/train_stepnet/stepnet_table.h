#pragma once
// The StepNet study table from a /summary Table of train_stepnet tasks: one row per dataset x
// depth x attention (or the --by columns), aggregated over seeds.
#include <string>
#include <vector>

#include "pipeline/core/result.h"

namespace riskstep {

// Columns: runs, parameter_count, final test accuracy mean/sd/min/max (fractions), mean NSI over
// all blocks, images per second (mean over runs). Throws naming a missing column.
Table stepnet_table(const Table& summary, const std::vector<std::string>& group_by);

}  // namespace riskstep
