#pragma once
// Job kind "example": the template for a new study, complete and small. Each task draws `draws`
// samples of a distribution from its seed and reports their mean and sd; the study table averages
// them over replicates; `riskstep example` runs a few replicates in one process into one results
// file. A new study is a copy of this folder under jobs/, renamed, plus one line in
// jobs/study_kinds.cpp (docs/engine.md, "A new study kind"). Registered only in the test
// test binary (tests/kinds/main.cpp), which tests/e2e/new_kind.sh runs.
#include "pipeline/core/job.h"

namespace riskstep {

JobKind example_kind();

}  // namespace riskstep
