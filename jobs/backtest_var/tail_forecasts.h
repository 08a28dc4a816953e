#pragma once
// Each model's forecast distribution of the loss, as the ES backtests need it (ES, a sampler and
// a scale per test day): HS the empirical window, CMM normal (mean, sd), GARCH sigma_t times its
// innovation, networks their Gaussian mixture.
#include <string>
#include <vector>

#include "models/var/forecast.h"
#include "stats/tail_backtest.h"

namespace riskstep {

struct MixtureForecast {  // row-major [day][k]
  std::vector<double> mu, sigma, pi;
  size_t components = 0;
};

// `model`: hs | cmm | garch (whose per-day outputs `forecast` holds) or a network (`mixture`).
TailForecast tail_forecast(const std::string& model, const std::vector<double>& returns,
                           size_t first, size_t last, size_t window, const VarForecast& forecast,
                           const MixtureForecast& mixture, double level);

}  // namespace riskstep
