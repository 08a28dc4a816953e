#include "stats/tail_backtest.h"

#include <algorithm>

#include "stats/acerbi_szekely.h"
#include "stats/backtest.h"
#include "stats/duration_test.h"
#include "stats/mcneil_frey.h"
#include "stats/monte_carlo_coverage.h"

namespace riskstep {

namespace {
// Each test its own stream, so adding one never changes another's p-value.
MonteCarloOptions stream(const MonteCarloOptions& options, uint64_t test) {
  MonteCarloOptions own = options;
  own.seed = options.seed * 0x9e3779b97f4a7c15ULL + test;
  return own;
}
}  // namespace

TailBacktestResult tail_backtest(const std::vector<double>& losses, const std::vector<double>& var,
                                 double level, const TailForecast& forecast,
                                 const TailBacktestOptions& options) {
  TailBacktestResult result;
  for (double value : forecast.es) result.es_mean += value / double(forecast.es.size());
  // Z2 divides by ES: a forecast with ES <= 0 on some day (a model predicting a gain even in its
  // tail) fails the ES test outright (Z2 at its cap, p 0) rather than failing the task.
  if (std::all_of(forecast.es.begin(), forecast.es.end(), [](double es) { return es > 0.0; })) {
    const SimulatedTestResult z2 = acerbi_szekely_test(
        losses, var, forecast.es, level, forecast.samplers, stream(options.monte_carlo, 1));
    result.z2 = z2.statistic;
    result.p_z2 = z2.p_value;
  } else {
    result.z2 = 1e12;
    result.p_z2 = 0.0;
  }
  const ExceedanceResidualResult mf =
      mcneil_frey_test(losses, var, forecast.es, forecast.scale, stream(options.monte_carlo, 2));
  result.exceedances = mf.exceedances;
  result.mean_residual = mf.mean_residual;
  // sd 0 (identical residuals) gives +-inf; stored results hold finite numbers.
  result.mf_statistic = std::max(-1e12, std::min(1e12, mf.statistic));
  result.p_mf = mf.p_value;
  const std::vector<int64_t> hit = hits(losses, var);
  const DurationTestResult duration =
      christoffersen_pelletier_test(hit, level, stream(options.monte_carlo, 3));
  result.duration_b = duration.weibull_b;
  result.lr_duration = duration.statistic;
  result.p_duration = duration.p_value;
  result.p_duration_mc = duration.mc_p_value;
  if (options.monte_carlo_coverage) {
    const CoveragePValues coverage =
        monte_carlo_coverage_p_values(hit, level, stream(options.monte_carlo, 4));
    result.has_mc_coverage = true;
    result.p_uc_mc = coverage.p_uc;
    result.p_ind_mc = coverage.p_ind;
    result.p_cc_mc = coverage.p_cc;
  }
  return result;
}

}  // namespace riskstep
