#pragma once
// Job kind "echo": the smallest study, and the engine's test subject. It returns numbers drawn
// from the task seed (so results are deterministic and differ between tasks) and can be told to
// sleep, fail, return NaN, ask for a clean stop or log each run, which is what the engine's
// tests of scheduling, failures, resume and signals need. A third study starts as a copy of this
// folder plus one line in jobs/registry.cpp.
#include "pipeline/core/job.h"

namespace riskstep {

JobKind echo_kind();

}  // namespace riskstep
