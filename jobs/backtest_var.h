#pragma once
// Job kind "backtest_var": one VaR model on one index and test period, backtested at each level.
//
// Parameters (README "Parameters of backtest_var"):
//   index    name of the index (file <data_dir>/<index>.csv, or the synthetic market's seed)
//   period   calm | covid | YYYY-MM-DD:YYYY-MM-DD
//   model    hs | cmm | garch | mdn2 | mdn2reg | mdn3
//   levels   tail probabilities, "0.01,0.05" (default 0.01)
//   data     price CSV path or "synthetic"; or data_dir, holding <index>.csv
//   optional: price_column, window (251), garch_dist (ged|normal|student_t|auto),
//             garch_start (study|fgarch: the variance filter's first value),
//             seed (networks: one ensemble member per seed value), max_epochs, patience,
//             activation (relu|tanh)
// A network's weights are seeded by the task's seed (derived from the spec seed and the task id).
// Conventions: returns are fractions, loss = -return, VaR is a positive loss, hit = loss >= VaR.
#include "pipeline/job.h"

namespace riskstep {

class BacktestVarJob : public Job {
 public:
  Result run(const Task& task, const TaskContext& context) override;
  void validate(const Task& task) const override;
  // Network tasks that differ only in `seed` train together as one ensemble.
  std::string batch_key(const Task& task) const override;
  std::vector<TaskOutcome> run_batch(const std::vector<Task>& tasks,
                                     const TaskContext& context) override;
  // Seconds on one core, roughly, so a sweep starts the network ensembles before the fast
  // classical models.
  double relative_cost(const Task& task) const override;
};

bool is_network_model(const std::string& model);

}  // namespace riskstep
