#pragma once
// Shared machinery of the simulated backtests: seeded options, portable uniform draws and the
// Monte Carlo p-value rule. Results are deterministic given the seed (draws that go through
// <random> distributions, e.g. innovations, are deterministic for one standard library).
#include <cstdint>
#include <random>
#include <vector>

namespace riskstep {

struct MonteCarloOptions {
  int64_t simulations = 2000;
  uint64_t seed = 1;
};

// Uniform on [0, 1) from the top 53 bits: the same numbers on every platform.
double uniform01(std::mt19937_64& rng);

// One iid Bernoulli(p) hit sequence of the given length (1 = hit).
std::vector<int64_t> bernoulli_hits(size_t days, double p, std::mt19937_64& rng);

// Upper-tail Monte Carlo p-value (Dufour 2006, non-randomised): (1 + #{s >= observed}) / (N + 1).
// Ties count as at least as extreme (conservative), and a simulated statistic within a relative
// 1e-9 (absolute 1e-12 near 0) of the observed one is a tie, so that equal statistics reached
// through different rounding are not split; an infinite observed statistic ties only with an equal
// one. Never 0; 1 when there are no simulations.
double monte_carlo_p_value(double observed, const std::vector<double>& simulated);

}  // namespace riskstep
