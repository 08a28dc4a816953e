#include "stats/mcneil_frey.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace riskstep {

namespace {

std::vector<double> exceedance_residuals(const std::vector<double>& losses,
                                         const std::vector<double>& var,
                                         const std::vector<double>& es,
                                         const std::vector<double>& scale) {
  if (var.size() != losses.size() || es.size() != losses.size() ||
      (!scale.empty() && scale.size() != losses.size()))
    throw std::invalid_argument("McNeil-Frey test needs one VaR, ES (and scale) per loss");
  std::vector<double> residuals;
  for (size_t t = 0; t < losses.size(); ++t) {
    if (!(losses[t] >= var[t])) continue;
    const double s = scale.empty() ? 1.0 : scale[t];
    if (!(s > 0.0))
      throw std::invalid_argument("McNeil-Frey scale must be > 0, day " + std::to_string(t));
    residuals.push_back((losses[t] - es[t]) / s);
  }
  return residuals;
}

double mean(const std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace

double studentized_mean(const std::vector<double>& values) {
  if (values.size() < 2) return 0.0;
  const double m = mean(values);
  double squares = 0.0;
  for (double v : values) squares += (v - m) * (v - m);
  const double n = static_cast<double>(values.size());
  const double standard_error = std::sqrt(squares / (n - 1.0) / n);
  if (standard_error > 0.0) return m / standard_error;
  if (m == 0.0) return 0.0;
  return m > 0.0 ? std::numeric_limits<double>::infinity()
                 : -std::numeric_limits<double>::infinity();
}

ExceedanceResidualResult mcneil_frey_test(const std::vector<double>& losses,
                                          const std::vector<double>& var,
                                          const std::vector<double>& es,
                                          const std::vector<double>& scale,
                                          const MonteCarloOptions& options) {
  if (options.simulations < 0) throw std::invalid_argument("negative number of bootstrap samples");
  const std::vector<double> residuals = exceedance_residuals(losses, var, es, scale);
  ExceedanceResidualResult result;
  result.exceedances = static_cast<int64_t>(residuals.size());
  if (residuals.empty()) return result;
  result.mean_residual = mean(residuals);
  if (residuals.size() < 2) return result;
  result.statistic = studentized_mean(residuals);
  result.bootstrap_samples = options.simulations;

  std::vector<double> centred = residuals;
  for (double& r : centred) r -= result.mean_residual;
  std::mt19937_64 rng(options.seed);
  const double n = static_cast<double>(centred.size());
  std::vector<double> resample(centred.size());
  std::vector<double> simulated(static_cast<size_t>(options.simulations));
  for (double& t_star : simulated) {
    for (double& r : resample) r = centred[static_cast<size_t>(uniform01(rng) * n)];
    t_star = studentized_mean(resample);
  }
  result.p_value = monte_carlo_p_value(result.statistic, simulated);
  return result;
}

}  // namespace riskstep
