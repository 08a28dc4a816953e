#pragma once
// McNeil & Frey (2000) exceedance residual test of ES. On the hit days (L_t >= VaR_t) the
// residuals r_t = (L_t - ES_t) / s_t (s_t the forecast scale, e.g. GARCH sigma_t or CMM sd; all
// s_t = 1 for the unscaled variant) have mean zero when ES is right. H1: mean > 0 (ES
// underestimated). Losses L = -R (simple returns as fractions); VaR, ES positive per test day.
//
// Statistic: t = mean(r) / (sd(r) / sqrt(n)), sd with n - 1. p-value by the bootstrap of Efron &
// Tibshirani (1993, sec. 16.4): resample n residuals with replacement from the centred r - mean(r)
// (H0 imposed), recompute t* each time, p = monte_carlo_p_value(t, t*'s). A sample with sd = 0
// has t = +-inf by the sign of its mean (0 when the mean is 0).
// Fewer than 2 exceedances: nothing to bootstrap; statistic 0 and p = 1 (mean_residual is still
// reported for one exceedance), the convention of coverage.h for degenerate samples.
#include <cstdint>
#include <vector>

#include "stats/monte_carlo.h"

namespace riskstep {

struct ExceedanceResidualResult {
  int64_t exceedances = 0;
  double mean_residual = 0.0;
  double statistic = 0.0;
  double p_value = 1.0;
  int64_t bootstrap_samples = 0;
};

// scale empty = unscaled (s_t = 1). Throws std::invalid_argument on unequal lengths or a scale
// <= 0 on a hit day.
ExceedanceResidualResult mcneil_frey_test(const std::vector<double>& losses,
                                          const std::vector<double>& var,
                                          const std::vector<double>& es,
                                          const std::vector<double>& scale = {},
                                          const MonteCarloOptions& options = {});

// The studentised mean above (the statistic without a bootstrap); 0 for fewer than 2 values.
double studentized_mean(const std::vector<double>& values);

}  // namespace riskstep
