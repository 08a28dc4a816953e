#include "models/var/garch.h"

#include <nlopt.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace riskstep {

namespace {

constexpr double kTiny = 1e-8;

struct ShapeBounds {
  double lower, upper;
};

ShapeBounds shape_bounds(GarchDistribution distribution) {
  if (distribution == GarchDistribution::student_t) return {2.05, 100.0};
  return {1.0, 10.0};
}

bool has_shape(GarchDistribution distribution) {
  return distribution != GarchDistribution::normal;
}

double mean_square(const std::vector<double>& e) {
  double sum = 0.0;
  for (double x : e) sum += x * x;
  return sum / static_cast<double>(e.size());
}

void require_window(const std::vector<double>& e) {
  if (e.size() < 2) throw std::invalid_argument("GARCH needs at least 2 returns");
  if (!(mean_square(e) > 0.0))
    throw std::invalid_argument("GARCH window has zero variance (all returns are 0)");
}

// Log-likelihood, gradient and the variance filter in one pass; returns s2 for the next day.
double filter(const std::vector<double>& e, GarchDistribution distribution,
              const GarchParameters& theta, InitialVariance initial, double* loglik,
              double* gradient) {
  const InnovationLogDensity density(distribution, has_shape(distribution) ? theta.shape : 2.1);
  const double m = mean_square(e);
  double s2 = m, d_omega = 0.0, d_alpha = 0.0, d_beta = 0.0;  // s2_t and d s2_t / d parameter
  if (initial == InitialVariance::fgarch) {
    s2 = theta.omega + (theta.alpha + theta.beta) * m;
    d_omega = 1.0;
    d_alpha = d_beta = m;
  }
  double sum = 0.0, g_omega = 0.0, g_alpha = 0.0, g_beta = 0.0, g_shape = 0.0;
  for (size_t t = 0; t < e.size(); ++t) {
    if (t > 0) {
      const double e2_prev = e[t - 1] * e[t - 1];
      d_omega = 1.0 + theta.beta * d_omega;
      d_alpha = e2_prev + theta.beta * d_alpha;
      d_beta = s2 + theta.beta * d_beta;
      s2 = theta.omega + theta.alpha * e2_prev + theta.beta * s2;
    }
    const InnovationLogDensity::Term term = density(e[t] * e[t], s2);
    sum += term.value;
    g_omega += term.d_s2 * d_omega;
    g_alpha += term.d_s2 * d_alpha;
    g_beta += term.d_s2 * d_beta;
    g_shape += term.d_shape;
  }
  if (loglik) *loglik = sum;
  if (gradient) {
    gradient[0] = g_omega;
    gradient[1] = g_alpha;
    gradient[2] = g_beta;
    gradient[3] = g_shape;
  }
  const double e2_last = e.back() * e.back();
  return theta.omega + theta.alpha * e2_last + theta.beta * s2;
}

// The optimiser works on x = (omega / v, alpha, beta[, shape]) so all coordinates are O(1).
struct Problem {
  const std::vector<double>* returns;
  GarchDistribution distribution;
  InitialVariance initial;
  double scale;  // v = mean(e^2)
  double n;
  int evaluations = 0;
};

GarchParameters from_x(const double* x, const Problem& problem) {
  GarchParameters theta;
  theta.omega = x[0] * problem.scale;
  theta.alpha = x[1];
  theta.beta = x[2];
  theta.shape = has_shape(problem.distribution) ? x[3] : 2.0;
  return theta;
}

double objective(unsigned dim, const double* x, double* grad, void* data) {
  Problem& problem = *static_cast<Problem*>(data);
  ++problem.evaluations;
  double loglik = 0.0, gradient[4];
  filter(*problem.returns, problem.distribution, from_x(x, problem), problem.initial, &loglik,
         grad ? gradient : nullptr);
  if (!std::isfinite(loglik)) return std::numeric_limits<double>::max();
  if (grad) {
    grad[0] = -gradient[0] * problem.scale / problem.n;
    for (unsigned i = 1; i < dim; ++i) grad[i] = -gradient[i] / problem.n;
  }
  return -loglik / problem.n;
}

nlopt_algorithm algorithm(GarchOptimizer optimizer) {
  switch (optimizer) {
    case GarchOptimizer::lbfgs:
      return NLOPT_LD_LBFGS;
    case GarchOptimizer::slsqp:
      return NLOPT_LD_SLSQP;
    case GarchOptimizer::bobyqa:
      return NLOPT_LN_BOBYQA;
  }
  return NLOPT_LD_LBFGS;
}

}  // namespace

double garch_loglik(const std::vector<double>& window_returns, GarchDistribution distribution,
                    const GarchParameters& parameters, std::vector<double>* gradient,
                    InitialVariance initial_variance) {
  require_window(window_returns);
  double loglik = 0.0, g[4];
  filter(window_returns, distribution, parameters, initial_variance, &loglik,
         gradient ? g : nullptr);
  if (gradient) gradient->assign(g, g + (has_shape(distribution) ? 4 : 3));
  return loglik;
}

GarchFit fit_garch(const std::vector<double>& window_returns, GarchDistribution distribution,
                   const std::optional<GarchParameters>& start, const GarchFitOptions& options) {
  if (distribution == GarchDistribution::automatic)
    throw std::invalid_argument("fit_garch needs a concrete distribution, not 'automatic'");
  require_window(window_returns);
  Problem problem{&window_returns, distribution, options.initial_variance,
                  mean_square(window_returns), static_cast<double>(window_returns.size())};
  const unsigned dim = has_shape(distribution) ? 4 : 3;
  const ShapeBounds shape = shape_bounds(distribution);
  const double lower[4] = {1e-6, kTiny, kTiny, shape.lower};
  const double upper[4] = {100.0, 1.0 - kTiny, 1.0 - kTiny, shape.upper};

  GarchParameters initial;
  initial.omega = 0.1 * problem.scale;
  initial.shape = distribution == GarchDistribution::student_t ? 8.0 : 2.0;
  if (start) initial = *start;
  double x[4] = {initial.omega / problem.scale, initial.alpha, initial.beta, initial.shape};
  for (unsigned i = 0; i < dim; ++i) x[i] = std::min(std::max(x[i], lower[i]), upper[i]);

  nlopt_opt opt = nlopt_create(algorithm(options.optimizer), dim);
  nlopt_set_lower_bounds(opt, lower);
  nlopt_set_upper_bounds(opt, upper);
  nlopt_set_min_objective(opt, objective, &problem);
  nlopt_set_ftol_rel(opt, options.relative_tolerance);
  nlopt_set_xtol_rel(opt, options.relative_tolerance);
  nlopt_set_maxeval(opt, options.max_evaluations);
  double minimum = 0.0;
  const nlopt_result result = nlopt_optimize(opt, x, &minimum);
  nlopt_destroy(opt);

  GarchFit fit;
  fit.parameters = from_x(x, problem);
  fit.evaluations = problem.evaluations;
  // ROUNDOFF_LIMITED means the optimum is as precise as doubles allow: count it as converged.
  fit.converged =
      (result > 0 && result != NLOPT_MAXEVAL_REACHED && result != NLOPT_MAXTIME_REACHED) ||
      result == NLOPT_ROUNDOFF_LIMITED;
  fit.next_variance = filter(window_returns, distribution, fit.parameters, options.initial_variance,
                             &fit.loglik, nullptr);
  return fit;
}

std::vector<double> simulate_garch(const GarchParameters& parameters,
                                   GarchDistribution distribution, size_t n, uint64_t seed) {
  if (!(parameters.alpha + parameters.beta < 1.0) || !(parameters.omega > 0.0))
    throw std::invalid_argument("simulate_garch needs omega > 0 and alpha + beta < 1");
  std::mt19937_64 rng(seed);
  std::vector<double> returns(n);
  double s2 = parameters.omega / (1.0 - parameters.alpha - parameters.beta);
  for (size_t t = 0; t < n; ++t) {
    returns[t] = std::sqrt(s2) * sample_innovation(distribution, parameters.shape, rng);
    s2 = parameters.omega + parameters.alpha * returns[t] * returns[t] + parameters.beta * s2;
  }
  return returns;
}

GarchDistribution choose_distribution_by_aic(const std::vector<double>& returns,
                                             const std::vector<GarchDistribution>& candidates) {
  if (candidates.empty()) throw std::invalid_argument("no candidate GARCH distributions");
  GarchDistribution best = candidates.front();
  double best_aic = std::numeric_limits<double>::infinity();
  for (GarchDistribution candidate : candidates) {
    const GarchFit fit = fit_garch(returns, candidate);
    const double aic = 2.0 * (has_shape(candidate) ? 4 : 3) - 2.0 * fit.loglik;
    if (aic < best_aic) {
      best_aic = aic;
      best = candidate;
    }
  }
  return best;
}

VarForecast forecast_garch(const std::vector<double>& returns, size_t first, size_t last,
                           const std::vector<double>& levels, const GarchOptions& options) {
  check_forecast_range(returns.size(), first, last, options.window, levels);
  GarchDistribution distribution = options.distribution;
  if (distribution == GarchDistribution::automatic)
    distribution = choose_distribution_by_aic(returns);

  VarForecast forecast;
  forecast.levels = levels;
  const size_t days = last - first;
  forecast.var.assign(levels.size(), std::vector<double>(days));
  forecast.info["model"] = "garch11";
  forecast.info["distribution"] = to_string(distribution);
  forecast.info["requested_distribution"] = to_string(options.distribution);
  forecast.info["window"] = std::to_string(options.window);
  forecast.info["initial_variance"] =
      options.fit.initial_variance == InitialVariance::fgarch ? "fgarch" : "mean_square";
  forecast.info["warm_start"] = options.warm_start ? "true" : "false";
  for (const char* name :
       {"sigma", "omega", "alpha", "beta", "shape", "loglik", "converged", "evaluations"})
    forecast.series[name].resize(days);

  std::optional<GarchParameters> start;
  std::vector<double> window(options.window);
  for (size_t t = first; t < last; ++t) {
    std::copy(returns.begin() + (t - options.window), returns.begin() + t, window.begin());
    const GarchFit fit = fit_garch(window, distribution, start, options.fit);
    if (options.warm_start) start = fit.parameters;
    const double sigma = std::sqrt(fit.next_variance);
    const size_t day = t - first;
    for (size_t k = 0; k < levels.size(); ++k)
      forecast.var[k][day] =
          -innovation_quantile(distribution, fit.parameters.shape, levels[k]) * sigma;
    forecast.series["sigma"][day] = sigma;
    forecast.series["omega"][day] = fit.parameters.omega;
    forecast.series["alpha"][day] = fit.parameters.alpha;
    forecast.series["beta"][day] = fit.parameters.beta;
    forecast.series["shape"][day] = fit.parameters.shape;
    forecast.series["loglik"][day] = fit.loglik;
    forecast.series["converged"][day] = fit.converged ? 1.0 : 0.0;
    forecast.series["evaluations"][day] = fit.evaluations;
  }
  return forecast;
}

}  // namespace riskstep
