#pragma once
// VaR tail levels in dataset and column names. (A task's levels are the list setting `levels`,
// backtest_settings.cpp: read and checked as settings are.)
#include <string>

namespace riskstep {

std::string format_level(double level);  // 0.01 -> "0.01", 0.025 -> "0.025"

}  // namespace riskstep
