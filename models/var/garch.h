#pragma once
// GARCH(1,1) with zero mean, fitted by maximum likelihood on a rolling window:
//   s2_1 = mean(e^2 over the window) (the study's convention; R's fGarch uses
//   s2_1 = omega + (alpha + beta) mean(e^2), available as InitialVariance::fgarch),
//   s2_t = omega + alpha e_{t-1}^2 + beta s2_{t-1},
//   VaR_{t+1} = -q(p; shape) * s_{t+1} with q the unit-variance innovation quantile.
// GJR (GarchKind::gjr) is R fGarch's APARCH(1,1) with delta fixed at 2:
//   s2_t = omega + alpha (|e_{t-1}| - gamma e_{t-1})^2 + beta s2_{t-1}, gamma in (-1, 1)
// (gamma > 0: falls raise the variance more than rises), with the same s2_1.
// Bounds (those of R's fGarch): omega/v in [1e-6, 100] with v = mean(e^2) of the window,
// alpha, beta in [1e-8, 1 - 1e-8], gamma in [-1 + 1e-8, 1 - 1e-8], GED shape in [1, 10],
// Student t and skewed t df in [2.05, 100], skew in [0.1, 10]; stationarity (alpha + beta < 1)
// is not imposed. Fits use L-BFGS with the analytic gradient, BOBYQA (derivative-free) for the
// skewed t.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/var/forecast.h"
#include "models/var/innovations.h"

namespace riskstep {

enum class GarchKind { garch, gjr };
enum class GarchOptimizer { lbfgs, slsqp, bobyqa };
enum class InitialVariance { mean_square, fgarch };

struct GarchParameters {
  double omega = 0.0, alpha = 0.1, beta = 0.8;
  double shape = 2.0;  // GED nu or (skewed) Student t df; ignored for normal
  double gamma = 0.0;  // GJR asymmetry; 0 for GarchKind::garch
  double skew = 1.0;   // skewed t xi; 1 otherwise
};

struct GarchFit {
  GarchParameters parameters;
  double loglik = 0.0;         // at the optimum, over the whole window
  double next_variance = 0.0;  // s2 for the day after the window
  bool converged = false;      // NLopt stopped on a tolerance, not on an error or max evaluations
  int evaluations = 0;
};

struct GarchFitOptions {
  GarchKind kind = GarchKind::garch;
  GarchOptimizer optimizer = GarchOptimizer::lbfgs;  // the skewed t is always fitted by BOBYQA
  InitialVariance initial_variance = InitialVariance::mean_square;
  double relative_tolerance = 1e-10;  // NLopt ftol_rel and xtol_rel
  int max_evaluations = 2000;
};

struct GarchOptions {
  GarchDistribution distribution = GarchDistribution::ged;
  size_t window = 251;
  GarchFitOptions fit;
  // false (default): every day starts afresh from alpha 0.1, beta 0.8, omega = 0.1 v, shape 2
  // (GED) or 8 (t), like fGarch; this reproduces the thesis best (all six GARCH hit counts exact),
  // because the window likelihood is multimodal and fGarch's fits depend on its start.
  // true: each day starts from the previous day's optimum (fewer evaluations, same median VaR).
  bool warm_start = false;
};

GarchKind parse_garch_kind(const std::string& name);  // "garch" | "gjr"; throws otherwise
std::string to_string(GarchKind kind);

// Log-likelihood of the window under the model; gradient (d/d omega, alpha, beta[, gamma for
// GJR][, shape]) if given (not for the skewed t: std::invalid_argument).
double garch_loglik(const std::vector<double>& window_returns, GarchDistribution distribution,
                    const GarchParameters& parameters, std::vector<double>* gradient = nullptr,
                    InitialVariance initial_variance = InitialVariance::mean_square,
                    GarchKind kind = GarchKind::garch);

// s2_1 .. s2_n over the window and s2_{n+1} for the day after it (n + 1 values): what filtered
// historical simulation and GARCH-EVT standardise the window's returns by.
std::vector<double> garch_variance_path(const std::vector<double>& window_returns,
                                        const GarchParameters& parameters,
                                        InitialVariance initial_variance, GarchKind kind);

GarchFit fit_garch(const std::vector<double>& window_returns, GarchDistribution distribution,
                   const std::optional<GarchParameters>& start = std::nullopt,
                   const GarchFitOptions& options = {});

// n returns of the model started at its stationary variance (needs alpha + beta < 1).
std::vector<double> simulate_garch(const GarchParameters& parameters,
                                   GarchDistribution distribution, size_t n, uint64_t seed);

// The family (normal or GED unless candidates say otherwise) with the lowest AIC on the sample.
GarchDistribution choose_distribution_by_aic(const std::vector<double>& returns,
                                             const std::vector<GarchDistribution>& candidates = {
                                                 GarchDistribution::normal,
                                                 GarchDistribution::ged});

// `automatic` picks the family by AIC once on the whole `returns` series (as the thesis did).
VarForecast forecast_garch(const std::vector<double>& returns, size_t first, size_t last,
                           const std::vector<double>& levels, const GarchOptions& options = {});

}  // namespace riskstep
