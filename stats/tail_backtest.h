#pragma once
// The expected-shortfall and stronger backtests of one forecast series at one level, beyond the
// VaR tests of backtest.h: Acerbi-Szekely Z2 (p simulated under the forecasts), McNeil-Frey's
// exceedance residuals (bootstrap), Christoffersen-Pelletier's duration test (chi2 and simulated
// p) and, on request, Monte Carlo p-values of Kupiec and Christoffersen for few expected hits.
// Conventions: losses L = -R (simple returns as fractions); VaR and ES positive, per test day.
#include <cstdint>
#include <vector>

#include "stats/loss_sampler.h"
#include "stats/monte_carlo.h"

namespace riskstep {

// What the ES tests need besides VaR, per test day.
struct TailForecast {
  std::vector<double> es;             // expected shortfall
  std::vector<LossSampler> samplers;  // the forecast loss distribution
  std::vector<double> scale;          // e.g. GARCH sigma; empty: unscaled residuals
};

struct TailBacktestOptions {
  MonteCarloOptions monte_carlo;      // simulations of Z2, the bootstrap and the duration test
  bool monte_carlo_coverage = false;  // also simulated p-values of Kupiec and Christoffersen
};

struct TailBacktestResult {
  double es_mean = 0.0;
  double z2 = 0.0, p_z2 = 1.0;  // 1e12 and 0 (rejected) when some day's ES <= 0
  int64_t exceedances = 0;
  double mean_residual = 0.0, mf_statistic = 0.0, p_mf = 1.0;
  double duration_b = 1.0, lr_duration = 0.0, p_duration = 1.0, p_duration_mc = 1.0;
  bool has_mc_coverage = false;
  double p_uc_mc = 1.0, p_ind_mc = 1.0, p_cc_mc = 1.0;
};

TailBacktestResult tail_backtest(const std::vector<double>& losses, const std::vector<double>& var,
                                 double level, const TailForecast& forecast,
                                 const TailBacktestOptions& options = {});

}  // namespace riskstep
