#pragma once
// Likelihood-ratio coverage tests of a VaR hit sequence (Kupiec 1995, Christoffersen 1998).
// Conventions making every edge case finite: 0^0 = 1 and 0 log 0 = 0, so zero hits and all hits
// give finite statistics; with no days (T = 0) or no transitions (T < 2) a statistic is 0, p = 1.
#include <cstdint>
#include <vector>

namespace riskstep {

// Kupiec proportion of failures: x hits in T days at tail probability p, chi2(1).
double kupiec_lr_uc(int64_t hits, int64_t days, double p);

// Transition counts n_ij = #{t >= 1 : hit_{t-1} = i, hit_t = j} over the T - 1 consecutive pairs.
struct TransitionCounts {
  int64_t n00 = 0, n01 = 0, n10 = 0, n11 = 0;
};
TransitionCounts transition_counts(const std::vector<int64_t>& hits);

// Christoffersen independence: first-order Markov vs independent hits, chi2(1);
// pi = (n01 + n11) / (n00 + n01 + n10 + n11). No hit after the first day gives 0.
double christoffersen_lr_ind(const TransitionCounts& counts);

// Upper tail probability of a chi-square statistic (negative rounding noise counts as 0).
double chi_square_p_value(double statistic, double degrees_of_freedom);

}  // namespace riskstep
