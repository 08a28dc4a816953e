#include "jobs/registry.h"

namespace riskstep {

JobRegistry make_job_registry() {
  JobRegistry registry;
  return registry;
}

}  // namespace riskstep
