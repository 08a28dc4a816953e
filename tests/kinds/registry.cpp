// The registry of the test binary (build/tests/riskstep_test_kinds): the studies riskstep ships
// and the kinds that exist only for tests: echo (the engine's test subject) and example (the
// template of a new study, run through this binary by tests/e2e/new_kind.sh).
#include "app/registry.h"
#include "jobs/study_kinds.h"
#include "tests/kinds/echo/echo_job.h"
#include "tests/kinds/example/example_job.h"

namespace riskstep {

JobRegistry make_job_registry() {
  JobRegistry registry;
  add_study_kinds(registry);
  registry.add(echo_kind());
  registry.add(example_kind());
  return registry;
}

}  // namespace riskstep
