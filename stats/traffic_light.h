#pragma once
// Basel traffic-light zone of a 99% VaR backtest with any number of days T.
//   green  if P(X <= x) <  0.95,  yellow if 0.95 <= P(X <= x) < 0.9999,  red otherwise,
// X ~ Binomial(T, 0.01), x = exceptions. For T = 250 this gives the Basel table exactly:
// green 0-4, yellow 5-9, red 10 or more.
#include <cstdint>
#include <string>

namespace riskstep {

// "green" | "yellow" | "red" at level 0.01; "n/a" for any other tail probability or T = 0.
std::string basel_traffic_light(int64_t exceptions, int64_t days, double level);

}  // namespace riskstep
