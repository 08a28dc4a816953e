#pragma once
// Christoffersen & Pelletier (2004) duration-based independence test of a VaR hit sequence.
// The spells (in days) between hits are Weibull, f(D) = a^b b D^(b-1) exp(-(aD)^b), under H1 and
// exponential (b = 1, memoryless hits) under H0; LR = 2 [max_{a,b} ln L - max_a ln L|b=1], chi2(1).
// Spells, with days numbered 1..T and hits on days t_1 < ... < t_n:
//   t_i - t_{i-1}, uncensored;
//   D = t_1, left-censored, when day 1 is not a hit; D = T - t_n, right-censored, when day T is
//   not a hit; censored spells enter the likelihood through the survival exp(-(aD)^b).
// a is profiled out (a^b = uncensored spells / sum of all D^b); b is maximised over [0.001, 10]
// (rugarch's VaRDurTest bounds), which also caps the statistic of perfectly regular hits, whose
// likelihood grows without bound in b. b < 1 (decreasing hazard) indicates clustered hits.
// Fewer than 2 hits: no uncensored spell to fit; statistic 0, b = 1, p = 1.
// chi2(1) is a poor guide in small samples (size ~17% at 5% for T = 250, p = 0.01) and, because
// the spells are geometric rather than exponential, also at larger p however long the sample
// (~21% for T = 3000, p = 0.05); the simulated p-value holds its size in both.
#include <cstdint>
#include <optional>
#include <vector>

#include "stats/monte_carlo.h"

namespace riskstep {

struct HitDurations {
  std::vector<double> lengths;  // in order: [left-censored,] uncensored..., [right-censored]
  std::vector<bool> censored;
};
// Nonzero entries of hits are hits.
HitDurations hit_durations(const std::vector<int64_t>& hits);

struct DurationTestResult {
  int64_t hits = 0;
  double weibull_b = 1.0;   // ML shape under H1
  double statistic = 0.0;   // LR
  double p_value = 1.0;     // chi2(1)
  double mc_p_value = 1.0;  // simulated; 1 unless requested
  int64_t simulations = 0;
};

// With monte_carlo, also the simulated p-value the paper recommends for small samples: the LR of
// N iid Bernoulli(level) hit sequences of the same length, mc_p_value = monte_carlo_p_value.
DurationTestResult christoffersen_pelletier_test(
    const std::vector<int64_t>& hits, double level,
    const std::optional<MonteCarloOptions>& monte_carlo = {});

}  // namespace riskstep
