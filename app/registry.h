#pragma once
// The job kinds a riskstep binary runs, defined by the registry it is linked with:
// jobs/registry.cpp for riskstep (the studies it ships), tests/kinds/registry.cpp for the test
// binary (those and the engine's test kinds). app/main.cpp knows no kind by name.
#include "pipeline/core/job.h"

namespace riskstep {

JobRegistry make_job_registry();

}  // namespace riskstep
