#pragma once
// The whole of riskstep's command line, for the kinds in `registry`: a binary is this and its
// registry (jobs/main.cpp: the studies riskstep ships; tests/kinds/main.cpp: those and the test
// kinds). Initialises and finalises MPI; returns the exit status (pipeline/core/exit_status.h).
#include "pipeline/core/job.h"

namespace riskstep {

int riskstep_main(int argc, char** argv, const JobRegistry& registry);

}  // namespace riskstep
