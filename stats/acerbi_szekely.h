#pragma once
// Acerbi & Szekely (2014), "Backtesting expected shortfall", test 2, written for positive losses:
//   Z2 = sum_t L_t I_t / (T p ES_t) - 1,   I_t = 1{L_t >= VaR_t},
// the negative of the paper's Z2 (stated there for P&L X = -L). E[Z2] = 0 when each day's
// forecast is continuous and right; Z2 > 0 means the realised tail losses exceed the forecast ES
// (ES underestimated, too many hits, or both). The test is one-sided against Z2 > 0.
// Losses L = -R (simple returns as fractions); VaR and ES positive, per test day.
#include <cstdint>
#include <vector>

#include "stats/loss_sampler.h"
#include "stats/monte_carlo.h"

namespace riskstep {

// 0 when T = 0. Throws std::invalid_argument on unequal lengths, p outside (0, 1) or ES <= 0.
double acerbi_szekely_z2(const std::vector<double>& losses, const std::vector<double>& var,
                         const std::vector<double>& es, double p);

struct SimulatedTestResult {
  double statistic = 0.0;
  double p_value = 1.0;
  int64_t simulations = 0;
};

// The p-value simulated under the forecasts: each simulation draws day t's loss from samplers[t]
// (days in order, one generator seeded once) and recomputes Z2 with the same VaR_t and ES_t;
// p = monte_carlo_p_value(Z2, simulated Z2s), so a Z2 of -1 (no hits) ties with every
// simulation without hits.
SimulatedTestResult acerbi_szekely_test(const std::vector<double>& losses,
                                        const std::vector<double>& var,
                                        const std::vector<double>& es, double p,
                                        const std::vector<LossSampler>& samplers,
                                        const MonteCarloOptions& options = {});

}  // namespace riskstep
