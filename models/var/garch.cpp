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
  if (distribution == GarchDistribution::student_t || distribution == GarchDistribution::skew_t)
    return {2.05, 100.0};
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

// The square of the shock that drives the next variance, (|e| - gamma e)^2 (e^2 for GARCH), and
// its derivative in gamma.
struct Shock {
  double square, d_gamma;
};
Shock shock(double e, double gamma) {
  const double a = std::fabs(e) - gamma * e;
  return {a * a, -2.0 * a * e};
}

// Gradient order: omega, alpha, beta, gamma, shape.
struct FilterOutput {
  double loglik = 0.0;
  double gradient[5] = {0, 0, 0, 0, 0};
  double next_variance = 0.0;
};

// Log-likelihood, gradient (when asked) and the variance recursion in one pass; `path` (when
// given) receives s2_1 .. s2_n.
FilterOutput filter(const std::vector<double>& e, GarchDistribution distribution,
                    const GarchParameters& theta, InitialVariance initial, bool with_gradient,
                    std::vector<double>* path = nullptr) {
  const InnovationLogDensity density(distribution, has_shape(distribution) ? theta.shape : 2.1,
                                     theta.skew);
  const double m = mean_square(e);
  // s2_t and d s2_t / d (omega, alpha, beta, gamma); fGarch's start has no gamma in it.
  double s2 = m, d[4] = {0, 0, 0, 0};
  if (initial == InitialVariance::fgarch) {
    s2 = theta.omega + (theta.alpha + theta.beta) * m;
    d[0] = 1.0;
    d[1] = d[2] = m;
  }
  FilterOutput out;
  double* g = out.gradient;
  for (size_t t = 0; t < e.size(); ++t) {
    if (t > 0) {
      const Shock previous = shock(e[t - 1], theta.gamma);
      d[0] = 1.0 + theta.beta * d[0];
      d[1] = previous.square + theta.beta * d[1];
      d[2] = s2 + theta.beta * d[2];
      d[3] = theta.alpha * previous.d_gamma + theta.beta * d[3];
      s2 = theta.omega + theta.alpha * previous.square + theta.beta * s2;
    }
    if (path) path->push_back(s2);
    const InnovationLogDensity::Term term = density(e[t], s2);
    out.loglik += term.value;
    if (!with_gradient) continue;
    for (int k = 0; k < 4; ++k) g[k] += term.d_s2 * d[k];
    g[4] += term.d_shape;
  }
  out.next_variance =
      theta.omega + theta.alpha * shock(e.back(), theta.gamma).square + theta.beta * s2;
  return out;
}

// The optimiser works on x = (omega / v, alpha, beta[, gamma][, shape][, skew]) so all
// coordinates are O(1).
struct Layout {
  bool gamma, shape, skew;
  unsigned dim() const { return 3u + gamma + shape + skew; }
  unsigned gamma_at() const { return 3; }
  unsigned shape_at() const { return 3u + gamma; }
  unsigned skew_at() const { return 3u + gamma + shape; }
};

struct Problem {
  const std::vector<double>* returns;
  GarchDistribution distribution;
  InitialVariance initial;
  Layout layout;
  double scale;  // v = mean(e^2)
  double n;
  int evaluations = 0;
};

GarchParameters from_x(const double* x, const Problem& problem) {
  const Layout& l = problem.layout;
  GarchParameters theta;
  theta.omega = x[0] * problem.scale;
  theta.alpha = x[1];
  theta.beta = x[2];
  theta.gamma = l.gamma ? x[l.gamma_at()] : 0.0;
  theta.shape = l.shape ? x[l.shape_at()] : 2.0;
  theta.skew = l.skew ? x[l.skew_at()] : 1.0;
  return theta;
}

double objective(unsigned /*dim*/, const double* x, double* grad, void* data) {
  Problem& problem = *static_cast<Problem*>(data);
  ++problem.evaluations;
  const Layout& l = problem.layout;
  const FilterOutput out = filter(*problem.returns, problem.distribution, from_x(x, problem),
                                  problem.initial, grad != nullptr);
  if (!std::isfinite(out.loglik)) return std::numeric_limits<double>::max();
  if (grad) {
    grad[0] = -out.gradient[0] * problem.scale / problem.n;
    for (unsigned i = 1; i < 3; ++i) grad[i] = -out.gradient[i] / problem.n;
    if (l.gamma) grad[l.gamma_at()] = -out.gradient[3] / problem.n;
    if (l.shape) grad[l.shape_at()] = -out.gradient[4] / problem.n;
  }
  return -out.loglik / problem.n;
}

nlopt_algorithm algorithm(GarchOptimizer optimizer, GarchDistribution distribution) {
  if (distribution == GarchDistribution::skew_t) return NLOPT_LN_BOBYQA;
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

GarchKind parse_garch_kind(const std::string& name) {
  if (name == "garch") return GarchKind::garch;
  if (name == "gjr") return GarchKind::gjr;
  throw std::invalid_argument("GARCH kind '" + name + "': expected garch or gjr");
}

std::string to_string(GarchKind kind) {
  return kind == GarchKind::gjr ? "gjr" : "garch";
}

double garch_loglik(const std::vector<double>& window_returns, GarchDistribution distribution,
                    const GarchParameters& parameters, std::vector<double>* gradient,
                    InitialVariance initial_variance, GarchKind kind) {
  require_window(window_returns);
  if (gradient && distribution == GarchDistribution::skew_t)
    throw std::invalid_argument("garch_loglik: no analytic gradient for the skewed t");
  GarchParameters theta = parameters;
  if (kind == GarchKind::garch) theta.gamma = 0.0;
  const FilterOutput out =
      filter(window_returns, distribution, theta, initial_variance, gradient != nullptr);
  if (gradient) {
    gradient->assign(out.gradient, out.gradient + 3);
    if (kind == GarchKind::gjr) gradient->push_back(out.gradient[3]);
    if (has_shape(distribution)) gradient->push_back(out.gradient[4]);
  }
  return out.loglik;
}

std::vector<double> garch_variance_path(const std::vector<double>& window_returns,
                                        const GarchParameters& parameters,
                                        InitialVariance initial_variance, GarchKind kind) {
  require_window(window_returns);
  GarchParameters theta = parameters;
  if (kind == GarchKind::garch) theta.gamma = 0.0;
  std::vector<double> path;
  path.reserve(window_returns.size() + 1);
  const FilterOutput out =
      filter(window_returns, GarchDistribution::normal, theta, initial_variance, false, &path);
  path.push_back(out.next_variance);
  return path;
}

GarchFit fit_garch(const std::vector<double>& window_returns, GarchDistribution distribution,
                   const std::optional<GarchParameters>& start, const GarchFitOptions& options) {
  if (distribution == GarchDistribution::automatic)
    throw std::invalid_argument("fit_garch needs a concrete distribution, not 'automatic'");
  require_window(window_returns);
  const Layout layout{options.kind == GarchKind::gjr, has_shape(distribution),
                      distribution == GarchDistribution::skew_t};
  Problem problem{&window_returns,
                  distribution,
                  options.initial_variance,
                  layout,
                  mean_square(window_returns),
                  static_cast<double>(window_returns.size())};
  const unsigned dim = layout.dim();
  const ShapeBounds shape = shape_bounds(distribution);
  std::vector<double> lower = {1e-6, kTiny, kTiny}, upper = {100.0, 1.0 - kTiny, 1.0 - kTiny};
  GarchParameters initial;  // R fGarch's start: alpha 0.1, beta 0.8, gamma 0.1, skew 1
  initial.omega = 0.1 * problem.scale;
  initial.gamma = 0.1;
  initial.shape = distribution == GarchDistribution::student_t ? 8.0
                  : distribution == GarchDistribution::skew_t  ? 4.0
                                                               : 2.0;
  if (start) initial = *start;
  std::vector<double> x = {initial.omega / problem.scale, initial.alpha, initial.beta};
  if (layout.gamma) {
    lower.push_back(-1.0 + kTiny), upper.push_back(1.0 - kTiny), x.push_back(initial.gamma);
  }
  if (layout.shape)
    lower.push_back(shape.lower), upper.push_back(shape.upper), x.push_back(initial.shape);
  if (layout.skew) lower.push_back(0.1), upper.push_back(10.0), x.push_back(initial.skew);
  for (unsigned i = 0; i < dim; ++i) x[i] = std::min(std::max(x[i], lower[i]), upper[i]);

  nlopt_opt opt = nlopt_create(algorithm(options.optimizer, distribution), dim);
  nlopt_set_lower_bounds(opt, lower.data());
  nlopt_set_upper_bounds(opt, upper.data());
  nlopt_set_min_objective(opt, objective, &problem);
  nlopt_set_ftol_rel(opt, options.relative_tolerance);
  nlopt_set_xtol_rel(opt, options.relative_tolerance);
  nlopt_set_maxeval(opt, options.max_evaluations);
  double minimum = 0.0;
  nlopt_result result = nlopt_optimize(opt, x.data(), &minimum);
  // BOBYQA's trust region can stop short on the skewed t's flat shape/skew ridge: a restart from
  // its optimum, with a fresh region, reaches fGarch's optimum (bench/garch_vs_fgarch).
  if (distribution == GarchDistribution::skew_t && result > 0)
    result = nlopt_optimize(opt, x.data(), &minimum);
  nlopt_destroy(opt);

  GarchFit fit;
  fit.parameters = from_x(x.data(), problem);
  fit.evaluations = problem.evaluations;
  // ROUNDOFF_LIMITED means the optimum is as precise as doubles allow: count it as converged.
  fit.converged =
      (result > 0 && result != NLOPT_MAXEVAL_REACHED && result != NLOPT_MAXTIME_REACHED) ||
      result == NLOPT_ROUNDOFF_LIMITED;
  const FilterOutput out =
      filter(window_returns, distribution, fit.parameters, options.initial_variance, false);
  fit.loglik = out.loglik;
  fit.next_variance = out.next_variance;
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
    returns[t] =
        std::sqrt(s2) * sample_innovation(distribution, parameters.shape, rng, parameters.skew);
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
  forecast.info["model"] = options.fit.kind == GarchKind::gjr ? "gjr11" : "garch11";
  forecast.info["kind"] = to_string(options.fit.kind);
  forecast.info["distribution"] = to_string(distribution);
  forecast.info["requested_distribution"] = to_string(options.distribution);
  forecast.info["window"] = std::to_string(options.window);
  forecast.info["initial_variance"] =
      options.fit.initial_variance == InitialVariance::fgarch ? "fgarch" : "mean_square";
  forecast.info["warm_start"] = options.warm_start ? "true" : "false";
  for (const char* name : {"sigma", "omega", "alpha", "beta", "gamma", "shape", "skew", "loglik",
                           "converged", "evaluations"})
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
          -innovation_quantile(distribution, fit.parameters.shape, levels[k], fit.parameters.skew) *
          sigma;
    forecast.series["sigma"][day] = sigma;
    forecast.series["omega"][day] = fit.parameters.omega;
    forecast.series["alpha"][day] = fit.parameters.alpha;
    forecast.series["beta"][day] = fit.parameters.beta;
    forecast.series["gamma"][day] = fit.parameters.gamma;
    forecast.series["shape"][day] = fit.parameters.shape;
    forecast.series["skew"][day] = fit.parameters.skew;
    forecast.series["loglik"][day] = fit.loglik;
    forecast.series["converged"][day] = fit.converged ? 1.0 : 0.0;
    forecast.series["evaluations"][day] = fit.evaluations;
  }
  return forecast;
}

}  // namespace riskstep
