#include "jobs/registry.h"

#include "jobs/backtest_var.h"
#include "jobs/train_stepnet.h"

namespace riskstep {

JobRegistry make_job_registry() {
  JobRegistry registry;
  registry.add("backtest_var", [] { return std::make_unique<BacktestVarJob>(); });
  registry.add("train_stepnet", make_train_stepnet_job);
  return registry;
}

}  // namespace riskstep
