#pragma once
// The common output of every VaR forecaster and the test-range rule they share.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace riskstep {

struct VarForecast {
  std::vector<double> levels;                         // tail probabilities, e.g. 0.01
  std::vector<std::vector<double>> var;               // var[level_index][test_day], positive = loss
  std::map<std::string, std::vector<double>> series;  // per-test-day model outputs worth storing
  std::map<std::string, std::string> info;            // e.g. {"distribution", "ged"}
  // Models that scale a sample (filtered HS, GARCH-EVT): each test day's standardised returns
  // z_s = r_s / s_s of its window, the forecast being R_t = sigma_t z. Not stored; empty otherwise.
  std::vector<std::vector<double>> residuals;
};

// Every forecaster takes the full return series and forecasts test days [first, last), the
// forecast for day t using only returns[t - window .. t - 1]. Throws std::invalid_argument when
// first < window, first > last, last > returns_size, window < 2 or a level is outside (0, 1).
void check_forecast_range(size_t returns_size, size_t first, size_t last, size_t window,
                          const std::vector<double>& levels);

}  // namespace riskstep
