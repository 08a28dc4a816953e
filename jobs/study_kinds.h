#pragma once
// The studies riskstep ships, each a folder under jobs/ that declares its JobKind.
#include "pipeline/core/job.h"

namespace riskstep {

void add_study_kinds(JobRegistry& registry);

}  // namespace riskstep
