#pragma once
// Backtest of one VaR series at one tail probability: hits, coverage and independence tests,
// Basel traffic light, volatility-clustering correlation, dynamic quantile test (scores:
// scoring.h).
#include <cstdint>
#include <string>
#include <vector>

namespace riskstep {

struct BacktestResult {
  double level = 0.0;
  int64_t days = 0, hits = 0;
  double hit_rate = 0.0;  // 0 when days = 0
  int64_t n00 = 0, n01 = 0, n10 = 0, n11 = 0;
  double lr_uc = 0.0, p_uc = 1.0, lr_ind = 0.0, p_ind = 1.0, lr_cc = 0.0, p_cc = 1.0;
  std::string traffic_light;  // green | yellow | red at level 0.01, else "n/a"
  double volatility_correlation = 0.0;
  double dq_stat = 0.0, dq_p = 1.0;
};

// 1 where loss_t >= VaR_t.
std::vector<int64_t> hits(const std::vector<double>& losses, const std::vector<double>& var);

// Pearson correlation of VaR_t with the sample sd (n - 1) of losses t-4..t, over t = 4..T-1;
// 0 when it is undefined (fewer than 2 such days, or either series constant).
double volatility_correlation(const std::vector<double>& losses, const std::vector<double>& var);

BacktestResult backtest(const std::vector<double>& losses, const std::vector<double>& var,
                        double level);

}  // namespace riskstep
