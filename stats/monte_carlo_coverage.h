#pragma once
// Monte Carlo p-values of the Kupiec LR_uc and Christoffersen LR_ind / LR_cc statistics
// (coverage.h) for samples with few expected hits, where chi-square is a poor approximation of
// these discrete statistics. Under H0 the hits are iid Bernoulli(p): N sequences of the observed
// length are simulated (one seeded generator, all three statistics from the same sequences) and
// each p = monte_carlo_p_value(observed, simulated) = (1 + #{sim >= observed}) / (N + 1), ties
// counted as extreme (Dufour 2006 without randomised tie-breaking: conservative; exact in the
// limit only when there are no ties).
#include <cstdint>
#include <vector>

#include "stats/monte_carlo.h"

namespace riskstep {

struct CoverageStatistics {
  double lr_uc = 0.0, lr_ind = 0.0, lr_cc = 0.0;
};
// The three statistics of one hit sequence (1 = hit) at tail probability p.
CoverageStatistics coverage_statistics(const std::vector<int64_t>& hits, double p);

struct CoveragePValues {
  double p_uc = 1.0, p_ind = 1.0, p_cc = 1.0;
  int64_t simulations = 0;
};
CoveragePValues monte_carlo_coverage_p_values(const std::vector<int64_t>& hits, double p,
                                              const MonteCarloOptions& options = {});

}  // namespace riskstep
