#pragma once
// What a backtest_var task stores: the test window's dates and losses, per level the VaR, hits,
// expected shortfall and a table of every test statistic, the model's per-day outputs, and the
// rows the study table is made of. Conventions: loss = -return, VaR and ES positive, hit = loss >=
// VaR.
#include <cstdint>
#include <vector>

#include "jobs/backtest_var/backtest_input.h"
#include "jobs/backtest_var/tail_forecasts.h"
#include "models/var/mdn/mdn_ensemble.h"
#include "pipeline/core/result.h"

namespace riskstep {

// A classical model's result. `simulation_seeds` (one per level) seed the simulated p-values.
Result classical_result(const BacktestInput& input, const VarForecast& forecast,
                        const std::vector<uint64_t>& simulation_seeds);

// A network's result: its mixture per test day turned into VaR (exact mixture quantile) and ES,
// plus what it predicted and how training went (flags stay visible rather than hidden).
Result network_result(const BacktestInput& input, const MdnMemberResult& member, int64_t seed,
                      const std::vector<uint64_t>& simulation_seeds);

}  // namespace riskstep
