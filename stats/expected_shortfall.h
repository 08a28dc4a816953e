#pragma once
// Expected shortfall at tail probability p (level, e.g. 0.01): the mean loss at or beyond VaR,
//   ES_p = E[L | L >= VaR_p] = (1/p) int_0^p VaR_u du   (equal for continuous distributions),
// a positive loss threshold like VaR, with ES >= VaR. Returns are simple returns as fractions,
// loss L = -R. Every function throws std::invalid_argument on p outside (0, 1) or bad inputs.
#include <cstddef>
#include <vector>

#include "models/var/innovations.h"

namespace riskstep {

// Historical simulation on one estimation window: the plain mean of the window's losses
// L_i = -R_i with L_i >= VaR, where VaR = -type7_quantile_sorted(window, p), the HS VaR of
// models/var/historical_simulation.h. Ties at VaR are all included; the largest loss always
// qualifies, so ES >= VaR. (Not the interpolated (1/p) int_0^p of the empirical quantile.)
double historical_es(const std::vector<double>& window_returns, double p);

// historical_es of returns[t - window .. t - 1] for each test day t in [first, last), the days
// and windows of forecast_historical_simulation.
std::vector<double> historical_es_series(const std::vector<double>& returns, size_t first,
                                         size_t last, double p, size_t window = 251);

// ES of the loss -Z for the unit-variance innovation Z of innovations.h (shape ignored for normal,
// skew read by skew_t only).
double unit_innovation_es(GarchDistribution distribution, double shape, double p,
                          double skew = 1.0);

// ES of R = location + scale * Z: -location + scale * unit_innovation_es. CMM: (window mean, sd,
// normal); zero-mean GARCH: (0, sigma_t, its distribution and shape).
double location_scale_es(double location, double scale, GarchDistribution distribution,
                         double shape, double p, double skew = 1.0);

// ES of the Gaussian mixture sum_k w_k N(mu_k, sigma_k^2) (inputs as mixture_quantile, weights
// normalised): with q = mixture_quantile(p) = -VaR and a_k = (q - mu_k) / sigma_k,
//   ES = -(1/p) [sum_k w_k (mu_k Phi(a_k) - sigma_k phi(a_k)) + q (p - P(R < q))].
// The last term is 0 for a continuous mixture; it makes point masses (sigma_k = 0) follow the
// (1/p) int_0^p VaR_u du definition and cancels the first-order effect of the root's rounding.
double mixture_es(const double* mu, const double* sigma, const double* weights, size_t components,
                  double p);

// Row-major [day][k] parameters (as mixture_var); ES per day at tail probability p.
std::vector<double> mixture_es_series(const std::vector<double>& mu,
                                      const std::vector<double>& sigma,
                                      const std::vector<double>& weights, size_t components,
                                      double p);

}  // namespace riskstep
