#pragma once
// Everything a backtest_var task needs, read and parsed once: its settings, the market data, the
// test window, the levels; and the classical models' forecasts.
#include <string>
#include <vector>

#include "jobs/backtest_var/backtest_settings.h"
#include "jobs/backtest_var/market_data.h"
#include "models/var/forecast.h"
#include "models/var/garch.h"
#include "models/var/mdn/mdn_protocol.h"
#include "models/var/returns.h"
#include "pipeline/core/task.h"

namespace riskstep {

struct BacktestInput {
  BacktestSettings settings;
  std::string model, index;
  TestPeriod period;
  std::vector<double> levels;
  size_t estimation_window = 251;
  MarketData market;
  TestWindow window;
};

BacktestInput load_input(const Task& task);  // throws naming the setting or file at fault

// HS, CMM or GARCH VaR for every test day and level.
VarForecast forecast_classical(const BacktestInput& input);

// The networks' training protocol (train_start, train_years, refit_*).
MdnProtocol mdn_protocol(const BacktestSettings& settings);

// How a GARCH is fitted (kind, start) under these settings; shared by the garch models and the
// networks' GARCH filter.
GarchFitOptions garch_fit(const BacktestSettings& s);

}  // namespace riskstep
