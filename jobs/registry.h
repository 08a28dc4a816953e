#pragma once
// Every job kind riskstep knows, bound to its name for specs and the command line.
#include "pipeline/core/job.h"

namespace riskstep {

JobRegistry make_job_registry();

}  // namespace riskstep
