#pragma once
// Job kind "backtest_var": one VaR model on one index and test period, backtested at each level.
// Settings: jobs/backtest_var/backtest_settings.h. A network's weights are seeded by the task's
// seed (derived from the spec seed and the task id); network seeds of one model train together
// as one batched ensemble, each bit-identical to training it alone.
#include "pipeline/core/job.h"

namespace riskstep {

JobKind backtest_var_kind();

}  // namespace riskstep
