// The registry of the riskstep binary: the studies it ships (app/registry.h).
#include "app/registry.h"
#include "jobs/study_kinds.h"

namespace riskstep {

JobRegistry make_job_registry() {
  JobRegistry registry;
  add_study_kinds(registry);
  return registry;
}

}  // namespace riskstep
