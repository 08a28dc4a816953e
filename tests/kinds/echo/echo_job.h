#pragma once
// Job kind "echo": the engine's test subject, registered only in the test registries
// (tests/kinds/main.cpp, and the engine's MPI tests). It returns numbers drawn from the task
// seed (so results are deterministic and differ between tasks) and can be told to sleep, fail,
// return NaN, ask for a clean stop or log each run, which is what the engine's tests of
// scheduling, failures, resume and signals need. A new study starts from tests/kinds/example.
#include "pipeline/core/job.h"

namespace riskstep {

JobKind echo_kind();

// A registry of echo alone: the engine's tests need no study.
JobRegistry echo_registry();

}  // namespace riskstep
