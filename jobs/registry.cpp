#include "jobs/registry.h"

#include "jobs/backtest_var/backtest_var.h"
#include "jobs/echo/echo_job.h"
#include "jobs/train_stepnet/train_stepnet.h"

namespace riskstep {

// A new study: a folder under jobs/ that declares its JobKind, and one line here.
JobRegistry make_job_registry() {
  JobRegistry registry;
  registry.add(backtest_var_kind());
  registry.add(train_stepnet_kind());
  registry.add(echo_kind());
  return registry;
}

}  // namespace riskstep
