#include "models/var/gpd.h"

#include <nlopt.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace riskstep {

namespace {

constexpr double kZeroShape = 1e-9;  // |xi| below this: the exponential limit

double objective(unsigned /*dim*/, const double* x, double* /*grad*/, void* data) {
  const auto& excesses = *static_cast<const std::vector<double>*>(data);
  const double loglik = gpd_loglik(excesses, x[0], std::exp(x[1]));
  return std::isfinite(loglik) ? -loglik : std::numeric_limits<double>::max();
}

}  // namespace

double gpd_loglik(const std::vector<double>& excesses, double xi, double beta) {
  if (!(beta > 0.0)) return -std::numeric_limits<double>::infinity();
  double sum = 0.0;
  for (double y : excesses) {
    if (std::fabs(xi) < kZeroShape) {
      sum += -y / beta;
      continue;
    }
    const double arg = xi * y / beta;
    if (!(arg > -1.0)) return -std::numeric_limits<double>::infinity();
    sum += -(1.0 + 1.0 / xi) * std::log1p(arg);
  }
  return sum - static_cast<double>(excesses.size()) * std::log(beta);
}

GpdFit fit_gpd(const std::vector<double>& excesses) {
  if (excesses.size() < 5)
    throw std::invalid_argument("GPD fit needs at least 5 excesses, got " +
                                std::to_string(excesses.size()));
  double mean = 0.0, squares = 0.0;
  for (double y : excesses) {
    if (!(y >= 0.0) || !std::isfinite(y))
      throw std::invalid_argument("GPD excesses must be finite and >= 0");
    mean += y;
  }
  mean /= static_cast<double>(excesses.size());
  for (double y : excesses) squares += (y - mean) * (y - mean);
  const double variance = squares / static_cast<double>(excesses.size() - 1);
  if (!(mean > 0.0)) throw std::invalid_argument("GPD excesses are all zero");
  // Method of moments: xi = (1 - mean^2 / var) / 2, beta = mean (1 + mean^2 / var) / 2.
  const double ratio = variance > 0.0 ? mean * mean / variance : 1.0;
  double x[2] = {std::clamp(0.5 * (1.0 - ratio), kGpdMinShape + 0.05, kGpdMaxShape - 0.05),
                 std::log(0.5 * mean * (1.0 + ratio))};
  const double max_excess = *std::max_element(excesses.begin(), excesses.end());
  // A negative shape must keep the largest excess inside the support: beta > -xi max.
  if (x[0] < 0.0) x[1] = std::max(x[1], std::log(-x[0] * max_excess * 1.5));
  const double lower[2] = {kGpdMinShape, std::log(mean) - 20.0};
  const double upper[2] = {kGpdMaxShape, std::log(mean) + 20.0};
  nlopt_opt opt = nlopt_create(NLOPT_LN_BOBYQA, 2);
  nlopt_set_lower_bounds(opt, lower);
  nlopt_set_upper_bounds(opt, upper);
  auto data = excesses;
  nlopt_set_min_objective(opt, objective, &data);
  const double step[2] = {0.05, 0.1};  // the bounds are wide: start with small steps
  nlopt_set_initial_step(opt, step);
  nlopt_set_ftol_rel(opt, 1e-12);
  nlopt_set_xtol_rel(opt, 1e-10);
  nlopt_set_maxeval(opt, 5000);
  double minimum = 0.0;
  const nlopt_result result = nlopt_optimize(opt, x, &minimum);
  nlopt_destroy(opt);
  GpdFit fit;
  fit.xi = x[0];
  fit.beta = std::exp(x[1]);
  fit.loglik = gpd_loglik(excesses, fit.xi, fit.beta);
  fit.converged =
      (result > 0 && result != NLOPT_MAXEVAL_REACHED) || result == NLOPT_ROUNDOFF_LIMITED;
  return fit;
}

namespace {
void require_tail(size_t n, size_t k, double p) {
  if (!(p > 0.0) || k == 0 || k >= n || !(p < static_cast<double>(k) / static_cast<double>(n)))
    throw std::invalid_argument("GPD tail estimate needs 0 < p < k/n (p " + std::to_string(p) +
                                ", k " + std::to_string(k) + ", n " + std::to_string(n) + ")");
}
}  // namespace

double gpd_tail_var(double u, const GpdFit& fit, size_t n, size_t k, double p) {
  require_tail(n, k, p);
  const double ratio = static_cast<double>(n) * p / static_cast<double>(k);
  if (std::fabs(fit.xi) < kZeroShape) return u - fit.beta * std::log(ratio);
  return u + fit.beta / fit.xi * (std::pow(ratio, -fit.xi) - 1.0);
}

double gpd_tail_es(double u, const GpdFit& fit, size_t n, size_t k, double p) {
  const double var = gpd_tail_var(u, fit, n, k, p);
  if (std::fabs(fit.xi) < kZeroShape) return var + fit.beta;
  return (var + fit.beta - fit.xi * u) / (1.0 - fit.xi);
}

double sample_gpd(const GpdFit& fit, std::mt19937_64& rng) {
  // 1 - U in (0, 1]: never log(0) or 0^(-xi).
  const double v = 1.0 - std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  if (std::fabs(fit.xi) < kZeroShape) return -fit.beta * std::log(v);
  return fit.beta / fit.xi * (std::pow(v, -fit.xi) - 1.0);
}

}  // namespace riskstep
