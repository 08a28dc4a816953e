#pragma once
// The generalised Pareto distribution of excesses y >= 0 over a threshold, with shape xi and
// scale beta > 0:  G(y) = 1 - (1 + xi y / beta)^(-1/xi)  (xi != 0),  1 - exp(-y / beta)  (xi = 0);
// for xi < 0 the support ends at -beta / xi. And McNeil and Frey's (2000) tail estimates of a
// sample of n losses whose k largest exceed u, the (k+1)-th largest, by a GPD:
//   VaR_p = u + beta / xi ((n p / k)^(-xi) - 1),   ES_p = (VaR_p + beta - xi u) / (1 - xi)
// (xi = 0: VaR_p = u - beta log(n p / k), ES_p = VaR_p + beta), for tail probabilities p < k / n.
#include <cstddef>
#include <random>
#include <vector>

namespace riskstep {

// Shape bounds of the fit: below -0.5 maximum likelihood is not regular (Smith 1985), and the
// expected shortfall needs xi < 1.
constexpr double kGpdMinShape = -0.5, kGpdMaxShape = 0.95;

struct GpdFit {
  double xi = 0.0, beta = 1.0;
  double loglik = 0.0;
  bool converged = false;
};

// -inf when an excess lies outside the support or beta <= 0.
double gpd_loglik(const std::vector<double>& excesses, double xi, double beta);

// Maximum likelihood (NLopt BOBYQA on xi and log beta, from the method of moments), xi within
// the bounds above. Throws std::invalid_argument for fewer than 5 excesses or a negative one.
GpdFit fit_gpd(const std::vector<double>& excesses);

// The tail estimates above; throw std::invalid_argument unless 0 < p < k / n.
double gpd_tail_var(double u, const GpdFit& fit, size_t n, size_t k, double p);
double gpd_tail_es(double u, const GpdFit& fit, size_t n, size_t k, double p);

// One excess drawn from the GPD (inverse of G).
double sample_gpd(const GpdFit& fit, std::mt19937_64& rng);

}  // namespace riskstep
