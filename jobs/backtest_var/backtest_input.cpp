#include "jobs/backtest_var/backtest_input.h"

#include <algorithm>

#include "jobs/backtest_var/var_levels.h"
#include "models/var/cmm.h"
#include "models/var/ewma.h"
#include "models/var/filtered_hs.h"
#include "models/var/garch.h"
#include "models/var/garch_evt.h"
#include "models/var/historical_simulation.h"
#include "models/var/unconditional.h"

namespace riskstep {

namespace {

GarchDistribution garch_distribution(const BacktestSettings& s) {
  return s.garch_dist == "auto" ? GarchDistribution::automatic
                                : parse_garch_distribution(s.garch_dist);
}

}  // namespace

// "study": s2_1 = mean(e^2) as the study states; "fgarch": R fGarch's start, which the thesis
// author's numbers were computed with (reproduces them to ~2e-7, docs/models.md).
GarchFitOptions garch_fit(const BacktestSettings& s) {
  GarchFitOptions fit;
  fit.kind = parse_garch_kind(s.garch_kind);
  fit.initial_variance =
      s.garch_start == "fgarch" ? InitialVariance::fgarch : InitialVariance::mean_square;
  return fit;
}

namespace {

GarchOptions garch_options(const BacktestSettings& s, size_t window) {
  GarchOptions options;
  options.distribution = garch_distribution(s);
  options.window = window;
  options.fit = garch_fit(s);
  return options;
}

// Returns before the first test day a model needs: its window (the EWMA filter also its 30
// starting returns); the unconditional quantile needs only a couple.
size_t required_history(const BacktestSettings& s) {
  const auto window = static_cast<size_t>(s.window);
  if (s.model == "ewma") return kEwmaStartReturns;
  if (s.model == "uncond") return 2;
  if (s.model == "fhs" && s.fhs_filter == "ewma") return window + kEwmaStartReturns;
  return window;
}

size_t first_training_return(const BacktestInput& input) {
  const auto& dates = input.market.returns.dates;
  if (input.settings.train_start.empty()) return 0;
  return std::lower_bound(dates.begin(), dates.end(), input.settings.train_start) - dates.begin();
}

}  // namespace

VarForecast forecast_classical(const BacktestInput& input) {
  const std::vector<double>& returns = input.market.returns.returns;
  const TestWindow& w = input.window;
  const BacktestSettings& s = input.settings;
  const size_t window = input.estimation_window;
  if (input.model == "hs")
    return forecast_historical_simulation(returns, w.first, w.last, input.levels, window);
  if (input.model == "cmm") return forecast_cmm(returns, w.first, w.last, input.levels, window);
  if (input.model == "ewma")
    return forecast_ewma(returns, w.first, w.last, input.levels, s.ewma_lambda);
  if (input.model == "fhs") {
    FhsOptions options;
    options.filter = parse_fhs_filter(s.fhs_filter);
    options.window = window;
    options.ewma_lambda = s.ewma_lambda;
    options.garch = garch_options(s, window);
    return forecast_filtered_hs(returns, w.first, w.last, input.levels, options);
  }
  if (input.model == "garch_evt") {
    GarchEvtOptions options;
    options.window = window;
    options.tail = s.evt_tail;
    options.fit = garch_fit(s);
    return forecast_garch_evt(returns, w.first, w.last, input.levels, options);
  }
  if (input.model == "uncond")
    return forecast_unconditional(returns, w.first, w.last, input.levels,
                                  first_training_return(input));
  return forecast_garch(returns, w.first, w.last, input.levels, garch_options(s, window));
}

BacktestInput load_input(const Task& task) {
  BacktestInput input;
  input.settings = backtest_settings().read(task);
  const BacktestSettings& s = input.settings;
  input.model = s.model;
  input.index = s.index;
  input.period = parse_period(s.period);
  input.levels = s.levels;
  input.estimation_window = static_cast<size_t>(s.window);
  input.market = load_market_data(s);
  try {
    input.window = select_test_window(input.market.returns, input.period, required_history(s));
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument("index " + s.index + ", model " + s.model + ": " + error.what() +
                                " (use a later period, a shorter window, or a price file that "
                                "starts earlier)");
  }
  return input;
}

MdnProtocol mdn_protocol(const BacktestSettings& s) {
  MdnProtocol protocol;
  protocol.train_start = s.train_start;
  protocol.train_years = s.train_years;
  protocol.refit_days = static_cast<int>(s.refit_days);
  protocol.rolling = s.refit_window == "rolling";
  protocol.warm_start = s.refit_start == "warm";
  return protocol;
}

}  // namespace riskstep
