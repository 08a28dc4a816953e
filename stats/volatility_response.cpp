#include "stats/volatility_response.h"

#include <cmath>
#include <stdexcept>

namespace riskstep {

double log_log_slope(const std::vector<double>& var, const std::vector<double>& sigma) {
  if (var.size() != sigma.size())
    throw std::invalid_argument("log_log_slope: VaR and sigma of different lengths");
  std::vector<double> x, y;
  for (size_t t = 0; t < var.size(); ++t) {
    if (!(var[t] > 0.0) || !(sigma[t] > 0.0)) continue;
    x.push_back(std::log(sigma[t]));
    y.push_back(std::log(var[t]));
  }
  if (x.size() < 3) return 0.0;
  double mean_x = 0.0, mean_y = 0.0;
  for (size_t i = 0; i < x.size(); ++i) mean_x += x[i], mean_y += y[i];
  mean_x /= double(x.size());
  mean_y /= double(y.size());
  double sxx = 0.0, sxy = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mean_x) * (x[i] - mean_x);
    sxy += (x[i] - mean_x) * (y[i] - mean_y);
  }
  return sxx > 0.0 ? sxy / sxx : 0.0;
}

}  // namespace riskstep
