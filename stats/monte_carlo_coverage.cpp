#include "stats/monte_carlo_coverage.h"

#include <algorithm>
#include <stdexcept>

#include "stats/coverage.h"

namespace riskstep {

CoverageStatistics coverage_statistics(const std::vector<int64_t>& hits, double p) {
  const int64_t count = std::count_if(hits.begin(), hits.end(), [](int64_t h) { return h != 0; });
  CoverageStatistics statistics;
  statistics.lr_uc = kupiec_lr_uc(count, static_cast<int64_t>(hits.size()), p);
  statistics.lr_ind = christoffersen_lr_ind(transition_counts(hits));
  statistics.lr_cc = statistics.lr_uc + statistics.lr_ind;
  return statistics;
}

CoveragePValues monte_carlo_coverage_p_values(const std::vector<int64_t>& hits, double p,
                                              const MonteCarloOptions& options) {
  if (options.simulations < 0) throw std::invalid_argument("negative number of simulations");
  const CoverageStatistics observed = coverage_statistics(hits, p);
  const size_t n = static_cast<size_t>(options.simulations);
  std::vector<double> uc(n), ind(n), cc(n);
  std::mt19937_64 rng(options.seed);
  for (size_t s = 0; s < n; ++s) {
    const CoverageStatistics simulated =
        coverage_statistics(bernoulli_hits(hits.size(), p, rng), p);
    uc[s] = simulated.lr_uc;
    ind[s] = simulated.lr_ind;
    cc[s] = simulated.lr_cc;
  }
  CoveragePValues result;
  result.p_uc = monte_carlo_p_value(observed.lr_uc, uc);
  result.p_ind = monte_carlo_p_value(observed.lr_ind, ind);
  result.p_cc = monte_carlo_p_value(observed.lr_cc, cc);
  result.simulations = options.simulations;
  return result;
}

}  // namespace riskstep
