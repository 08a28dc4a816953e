#include "stats/diebold_mariano.h"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>

namespace riskstep {

DieboldMarianoResult diebold_mariano(const std::vector<double>& a, const std::vector<double>& b,
                                     int lags) {
  if (a.size() != b.size()) throw std::invalid_argument("Diebold-Mariano: unequal lengths");
  if (a.size() < 3) throw std::invalid_argument("Diebold-Mariano: needs at least 3 days");
  const size_t n = a.size();
  DieboldMarianoResult result;
  result.days = n;
  result.lags = lags < 0 ? int(std::floor(std::cbrt(double(n)))) : lags;
  std::vector<double> d(n);
  double mean = 0.0;
  for (size_t t = 0; t < n; ++t) mean += (d[t] = a[t] - b[t]);
  mean /= double(n);
  result.mean_difference = mean;
  auto autocovariance = [&](size_t j) {
    double sum = 0.0;
    for (size_t t = j; t < n; ++t) sum += (d[t] - mean) * (d[t - j] - mean);
    return sum / double(n);
  };
  double long_run = autocovariance(0);
  for (int j = 1; j <= result.lags && size_t(j) < n; ++j)
    long_run += 2.0 * (1.0 - double(j) / double(result.lags + 1)) * autocovariance(size_t(j));
  if (!(long_run > 0.0)) return result;
  result.statistic = mean / std::sqrt(long_run / double(n));
  result.p_value = 2.0 * boost::math::cdf(boost::math::complement(boost::math::normal(),
                                                                  std::fabs(result.statistic)));
  return result;
}

}  // namespace riskstep
