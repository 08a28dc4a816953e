#include "jobs/registry.h"

#include "jobs/backtest_var.h"

namespace riskstep {

JobRegistry make_job_registry() {
  JobRegistry registry;
  registry.add("backtest_var", [] { return std::make_unique<BacktestVarJob>(); });
  return registry;
}

}  // namespace riskstep
