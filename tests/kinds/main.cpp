// The test binary (build/tests/riskstep_test_kinds): riskstep with the studies it ships and the
// kinds that exist only for tests: echo (the engine's test subject) and example (the template of a
// new study, run through this binary by tests/e2e/new_kind.sh).
#include "app/riskstep_main.h"
#include "jobs/study_kinds.h"
#include "tests/kinds/echo/echo_job.h"
#include "tests/kinds/example/example_job.h"

int main(int argc, char** argv) {
  riskstep::JobRegistry registry;
  riskstep::add_study_kinds(registry);
  registry.add(riskstep::echo_kind());
  registry.add(riskstep::example_kind());
  return riskstep::riskstep_main(argc, argv, registry);
}
