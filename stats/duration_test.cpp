#include "stats/duration_test.h"

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <stdexcept>

#include "stats/coverage.h"

namespace riskstep {

namespace {

constexpr double kMinShape = 0.001, kMaxShape = 10.0;

// ln L at shape b with a profiled out: n_u ln(n_u / S) + n_u ln b + (b - 1) sum_u ln D - n_u,
// S = sum over all spells of D^b.
double profile_loglik(const HitDurations& spells, double b) {
  double uncensored = 0.0, log_sum = 0.0, power_sum = 0.0;
  for (size_t i = 0; i < spells.lengths.size(); ++i) {
    power_sum += std::pow(spells.lengths[i], b);
    if (spells.censored[i]) continue;
    uncensored += 1.0;
    log_sum += std::log(spells.lengths[i]);
  }
  return uncensored * (std::log(uncensored / power_sum) + std::log(b) - 1.0) + (b - 1.0) * log_sum;
}

struct WeibullFit {
  double b = 1.0, lr = 0.0;
};

WeibullFit fit_weibull(const std::vector<int64_t>& hits) {
  if (std::count_if(hits.begin(), hits.end(), [](int64_t h) { return h != 0; }) < 2) return {};
  const HitDurations spells = hit_durations(hits);
  auto negative = [&](double log_b) { return -profile_loglik(spells, std::exp(log_b)); };
  const auto [log_b, minimum] =
      boost::math::tools::brent_find_minima(negative, std::log(kMinShape), std::log(kMaxShape), 40);
  double b = std::exp(log_b), best = -minimum;
  // Brent stops a tolerance short of a bound; a maximum on a bound is exact only when checked.
  for (double bound : {kMinShape, kMaxShape}) {
    const double loglik = profile_loglik(spells, bound);
    if (loglik > best) {
      b = bound;
      best = loglik;
    }
  }
  return {b, std::max(2.0 * (best - profile_loglik(spells, 1.0)), 0.0)};
}

}  // namespace

HitDurations hit_durations(const std::vector<int64_t>& hits) {
  HitDurations spells;
  int64_t previous = 0;  // day of the last hit, 1-based; 0 before the first
  for (size_t i = 0; i < hits.size(); ++i) {
    if (hits[i] == 0) continue;
    const int64_t day = static_cast<int64_t>(i) + 1;
    if (previous > 0 || day > 1) {
      spells.lengths.push_back(static_cast<double>(day - previous));
      spells.censored.push_back(previous == 0);
    }
    previous = day;
  }
  const int64_t days = static_cast<int64_t>(hits.size());
  if (previous > 0 && previous < days) {
    spells.lengths.push_back(static_cast<double>(days - previous));
    spells.censored.push_back(true);
  }
  return spells;
}

DurationTestResult christoffersen_pelletier_test(
    const std::vector<int64_t>& hits, double level,
    const std::optional<MonteCarloOptions>& monte_carlo) {
  if (!(level > 0.0 && level < 1.0)) throw std::invalid_argument("duration test needs p in (0, 1)");
  DurationTestResult result;
  result.hits = std::count_if(hits.begin(), hits.end(), [](int64_t h) { return h != 0; });
  const WeibullFit fit = fit_weibull(hits);
  result.weibull_b = fit.b;
  result.statistic = fit.lr;
  result.p_value = chi_square_p_value(fit.lr, 1.0);
  if (!monte_carlo) return result;
  if (monte_carlo->simulations < 0) throw std::invalid_argument("negative number of simulations");
  std::mt19937_64 rng(monte_carlo->seed);
  std::vector<double> simulated(static_cast<size_t>(monte_carlo->simulations));
  for (double& lr : simulated) lr = fit_weibull(bernoulli_hits(hits.size(), level, rng)).lr;
  result.simulations = monte_carlo->simulations;
  result.mc_p_value = monte_carlo_p_value(result.statistic, simulated);
  return result;
}

}  // namespace riskstep
