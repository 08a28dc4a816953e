#include "stats/dynamic_quantile.h"

#include <cmath>
#include <stdexcept>

#include "stats/coverage.h"

namespace riskstep {

DynamicQuantileResult dynamic_quantile_test(const std::vector<int64_t>& hits,
                                            const std::vector<double>& var, double p, int lags) {
  if (hits.size() != var.size())
    throw std::invalid_argument("DQ test: hits and VaR differ in length");
  if (!(p > 0.0 && p < 1.0) || lags < 0)
    throw std::invalid_argument("DQ test: need p in (0,1), lags >= 0");
  DynamicQuantileResult result;
  const size_t start = static_cast<size_t>(lags);
  if (hits.size() <= start + 1) return result;
  const size_t n = hits.size() - start;
  std::vector<double> demeaned(hits.size());
  for (size_t t = 0; t < hits.size(); ++t) demeaned[t] = (hits[t] != 0 ? 1.0 : 0.0) - p;

  std::vector<std::vector<double>> columns;
  columns.emplace_back(n, 1.0);
  for (size_t lag = 1; lag <= start; ++lag) {
    std::vector<double> column(n);
    for (size_t i = 0; i < n; ++i) column[i] = demeaned[start + i - lag];
    columns.push_back(std::move(column));
  }
  columns.emplace_back(var.begin() + start, var.end());
  const std::vector<double> y(demeaned.begin() + start, demeaned.end());

  // Orthonormalise the regressors (modified Gram-Schmidt, twice for stability) and sum the squared
  // projections of y: y' X (X'X)^-1 X' y = sum_j (q_j' y)^2.
  std::vector<std::vector<double>> basis;
  double explained = 0.0;
  for (std::vector<double>& column : columns) {
    double original = 0.0;
    for (double v : column) original += v * v;
    for (int pass = 0; pass < 2; ++pass)
      for (const std::vector<double>& q : basis) {
        double dot = 0.0;
        for (size_t i = 0; i < n; ++i) dot += q[i] * column[i];
        for (size_t i = 0; i < n; ++i) column[i] -= dot * q[i];
      }
    double norm = 0.0;
    for (double v : column) norm += v * v;
    if (!(norm > 1e-20 * original) || norm == 0.0) continue;  // dependent on earlier regressors
    norm = std::sqrt(norm);
    double dot = 0.0;
    for (size_t i = 0; i < n; ++i) {
      column[i] /= norm;
      dot += column[i] * y[i];
    }
    explained += dot * dot;
    basis.push_back(std::move(column));
  }
  result.observations = static_cast<int64_t>(n);
  result.degrees_of_freedom = static_cast<int64_t>(basis.size());
  result.statistic = explained / (p * (1.0 - p));
  result.p_value = chi_square_p_value(result.statistic, static_cast<double>(basis.size()));
  return result;
}

}  // namespace riskstep
