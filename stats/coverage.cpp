#include "stats/coverage.h"

#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <stdexcept>

namespace riskstep {

namespace {

// n log q with 0 log 0 = 0, i.e. log of q^n with 0^0 = 1.
double n_log(double n, double q) {
  return n == 0.0 ? 0.0 : n * std::log(q);
}

double bernoulli_loglik(double failures, double successes, double q) {
  return n_log(failures, 1.0 - q) + n_log(successes, q);
}

}  // namespace

double kupiec_lr_uc(int64_t hits, int64_t days, double p) {
  if (hits < 0 || days < 0 || hits > days)
    throw std::invalid_argument("Kupiec test needs 0 <= hits <= days");
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("Kupiec test needs p in (0, 1)");
  if (days == 0) return 0.0;
  const double x = static_cast<double>(hits), t = static_cast<double>(days);
  const double lr = -2.0 * bernoulli_loglik(t - x, x, p) + 2.0 * bernoulli_loglik(t - x, x, x / t);
  return std::max(lr, 0.0);
}

TransitionCounts transition_counts(const std::vector<int64_t>& hits) {
  TransitionCounts counts;
  for (size_t t = 1; t < hits.size(); ++t) {
    const bool previous = hits[t - 1] != 0, current = hits[t] != 0;
    if (!previous && !current) ++counts.n00;
    if (!previous && current) ++counts.n01;
    if (previous && !current) ++counts.n10;
    if (previous && current) ++counts.n11;
  }
  return counts;
}

double christoffersen_lr_ind(const TransitionCounts& c) {
  const double n00 = static_cast<double>(c.n00), n01 = static_cast<double>(c.n01);
  const double n10 = static_cast<double>(c.n10), n11 = static_cast<double>(c.n11);
  const double transitions = n00 + n01 + n10 + n11;
  if (n01 + n11 == 0.0 || transitions == 0.0) return 0.0;
  const double pi = (n01 + n11) / transitions;
  const double pi0 = n00 + n01 > 0.0 ? n01 / (n00 + n01) : 0.0;
  const double pi1 = n10 + n11 > 0.0 ? n11 / (n10 + n11) : 0.0;
  const double lr = -2.0 * bernoulli_loglik(n00 + n10, n01 + n11, pi) +
                    2.0 * (bernoulli_loglik(n00, n01, pi0) + bernoulli_loglik(n10, n11, pi1));
  return std::max(lr, 0.0);
}

double chi_square_p_value(double statistic, double degrees_of_freedom) {
  if (!(statistic > 0.0)) return 1.0;
  return boost::math::cdf(
      boost::math::complement(boost::math::chi_squared(degrees_of_freedom), statistic));
}

}  // namespace riskstep
