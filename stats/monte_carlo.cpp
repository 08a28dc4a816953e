#include "stats/monte_carlo.h"

#include <cmath>
#include <stdexcept>

namespace riskstep {

double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

std::vector<int64_t> bernoulli_hits(size_t days, double p, std::mt19937_64& rng) {
  if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("hit probability must be in [0, 1]");
  std::vector<int64_t> hits(days);
  for (auto& hit : hits) hit = uniform01(rng) < p ? 1 : 0;
  return hits;
}

double monte_carlo_p_value(double observed, const std::vector<double>& simulated) {
  const double tie = std::isfinite(observed) ? 1e-9 * std::abs(observed) + 1e-12 : 0.0;
  int64_t extreme = 0;
  for (double s : simulated)
    if (s >= observed - tie) ++extreme;
  return static_cast<double>(1 + extreme) / static_cast<double>(simulated.size() + 1);
}

}  // namespace riskstep
