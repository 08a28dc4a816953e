#include "stats/backtest.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "stats/coverage.h"
#include "stats/dynamic_quantile.h"
#include "stats/traffic_light.h"

namespace riskstep {

namespace {

void require_same_length(const std::vector<double>& losses, const std::vector<double>& var) {
  if (losses.size() != var.size())
    throw std::invalid_argument("backtest: " + std::to_string(losses.size()) + " losses but " +
                                std::to_string(var.size()) + " VaR values");
}

}  // namespace

std::vector<int64_t> hits(const std::vector<double>& losses, const std::vector<double>& var) {
  require_same_length(losses, var);
  std::vector<int64_t> result(losses.size());
  for (size_t t = 0; t < losses.size(); ++t) result[t] = losses[t] >= var[t] ? 1 : 0;
  return result;
}

double volatility_correlation(const std::vector<double>& losses, const std::vector<double>& var) {
  require_same_length(losses, var);
  constexpr size_t kSpan = 5;
  if (losses.size() < kSpan + 1) return 0.0;
  std::vector<double> rolling_sd, var_used;
  for (size_t t = kSpan - 1; t < losses.size(); ++t) {
    double mean = 0.0;
    for (size_t i = t + 1 - kSpan; i <= t; ++i) mean += losses[i];
    mean /= kSpan;
    double squares = 0.0;
    for (size_t i = t + 1 - kSpan; i <= t; ++i) squares += (losses[i] - mean) * (losses[i] - mean);
    rolling_sd.push_back(std::sqrt(squares / (kSpan - 1)));
    var_used.push_back(var[t]);
  }
  // A constant series has no correlation; testing it exactly avoids rounding noise in the means.
  const auto constant = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [&](double x) { return x == v.front(); });
  };
  if (constant(var_used) || constant(rolling_sd)) return 0.0;
  const double n = static_cast<double>(rolling_sd.size());
  double mean_x = 0.0, mean_y = 0.0;
  for (size_t i = 0; i < rolling_sd.size(); ++i) {
    mean_x += var_used[i] / n;
    mean_y += rolling_sd[i] / n;
  }
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (size_t i = 0; i < rolling_sd.size(); ++i) {
    const double dx = var_used[i] - mean_x, dy = rolling_sd[i] - mean_y;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0.0) || !(syy > 0.0)) return 0.0;
  return sxy / std::sqrt(sxx * syy);
}

BacktestResult backtest(const std::vector<double>& losses, const std::vector<double>& var,
                        double level) {
  require_same_length(losses, var);
  if (!(level > 0.0 && level < 1.0)) throw std::invalid_argument("backtest: level not in (0, 1)");
  BacktestResult result;
  result.level = level;
  const std::vector<int64_t> hit = hits(losses, var);
  result.days = static_cast<int64_t>(hit.size());
  for (int64_t h : hit) result.hits += h;
  result.hit_rate = result.days > 0 ? static_cast<double>(result.hits) / result.days : 0.0;
  const TransitionCounts counts = transition_counts(hit);
  result.n00 = counts.n00;
  result.n01 = counts.n01;
  result.n10 = counts.n10;
  result.n11 = counts.n11;
  result.lr_uc = kupiec_lr_uc(result.hits, result.days, level);
  result.lr_ind = christoffersen_lr_ind(counts);
  result.lr_cc = result.lr_uc + result.lr_ind;
  result.p_uc = chi_square_p_value(result.lr_uc, 1.0);
  result.p_ind = chi_square_p_value(result.lr_ind, 1.0);
  result.p_cc = chi_square_p_value(result.lr_cc, 2.0);
  result.traffic_light = basel_traffic_light(result.hits, result.days, level);
  result.volatility_correlation = volatility_correlation(losses, var);
  const DynamicQuantileResult dq = dynamic_quantile_test(hit, var, level);
  result.dq_stat = dq.statistic;
  result.dq_p = dq.p_value;
  return result;
}

}  // namespace riskstep
