#pragma once
// Exact quantiles of a Gaussian mixture, the VaR of a mixture density network's forecast.
#include <cstddef>
#include <vector>

namespace riskstep {

// The p-quantile x of sum_k w_k Phi((x - mu_k) / sigma_k) (weights normalised to sum 1; a
// component with sigma = 0 is a point mass, one with weight 0 is ignored). The root is bracketed
// by the smallest and largest component quantiles and found by TOMS 748 to full double precision.
// Throws std::invalid_argument on p outside (0, 1), negative/non-finite inputs or all-zero weights.
double mixture_quantile(const double* mu, const double* sigma, const double* weights,
                        size_t components, double p);

// The sum of the weights of a valid mixture (finite mu, sigma >= 0, weight >= 0, some weight > 0);
// throws std::invalid_argument naming the first bad component otherwise.
double checked_mixture_weight(const double* mu, const double* sigma, const double* weights,
                              size_t components);

// Row-major [day][k] parameters; returns VaR = -mixture_quantile per day at tail probability level.
std::vector<double> mixture_var(const std::vector<double>& mu, const std::vector<double>& sigma,
                                const std::vector<double>& weights, size_t components,
                                double level);

}  // namespace riskstep
