#pragma once
// One test day's forecast distribution of the loss L = -R (R a simple return as a fraction), as a
// sampler: each call draws one loss. The simulated backtests draw day t's losses from sampler t.
// Anything callable fits; the builders below cover the study's models.
#include <cstddef>
#include <functional>
#include <random>
#include <vector>

#include "models/var/innovations.h"

namespace riskstep {

using LossSampler = std::function<double(std::mt19937_64&)>;

// Historical simulation: -R_i with i uniform over the window (the empirical forecast).
LossSampler empirical_loss_sampler(std::vector<double> window_returns);

// -(location + scale Z), Z the unit-variance innovation (CMM: mean, sd, normal; zero-mean GARCH:
// 0, sigma_t, distribution, shape).
LossSampler location_scale_loss_sampler(double location, double scale,
                                        GarchDistribution distribution, double shape,
                                        double skew = 1.0);

// -R with R ~ sum_k w_k N(mu_k, sigma_k^2) (weights normalised; sigma_k = 0 a point mass).
LossSampler mixture_loss_sampler(std::vector<double> mu, std::vector<double> sigma,
                                 std::vector<double> weights);

// Per test day t in [first, last): empirical samplers of returns[t - window .. t - 1].
std::vector<LossSampler> historical_loss_samplers(const std::vector<double>& returns, size_t first,
                                                  size_t last, size_t window = 251);

// Per day from row-major [day][k] mixture parameters (as mixture_var).
std::vector<LossSampler> mixture_loss_samplers(const std::vector<double>& mu,
                                               const std::vector<double>& sigma,
                                               const std::vector<double>& weights,
                                               size_t components);

}  // namespace riskstep
