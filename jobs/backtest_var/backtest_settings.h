#pragma once
// The settings of a backtest_var task, each declared once in backtest_settings.cpp (spec keys,
// --set, `riskstep backtest` options and task ids all come from there).
// Conventions: returns are fractions, loss = -return, VaR is a positive loss, hit = loss >= VaR.
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/core/typed_settings.h"

namespace riskstep {

struct BacktestSettings {
  std::string index;  // index name: <data_dir>/<index>.csv, or the synthetic market's seed
  std::string period = "calm";          // calm | covid | YYYY | YYYY:YYYY | YYYY-MM-DD:YYYY-MM-DD
  std::string model;                    // one of var_models()
  std::vector<double> levels = {0.01};  // tail probabilities, each in (0, 0.5)
  std::string data;                     // a price CSV, or "synthetic"; else data_dir
  std::string data_dir;                 // holds <index>.csv
  std::string price_column;             // "" = Close (or the file's only price column)
  int64_t window = 251;                 // rolling estimation window, in returns
  std::string garch_dist = "ged";     // ged | normal | student_t | skew_t | auto (AIC, full sample)
  std::string garch_kind = "garch";   // garch | gjr (fGarch's APARCH(1,1) with delta 2)
  std::string garch_start = "study";  // study: s2_1 = mean(e^2); fgarch: R fGarch's start
  double ewma_lambda = 0.94;          // RiskMetrics decay (ewma; fhs with the EWMA filter)
  std::string fhs_filter = "ewma";    // fhs: ewma | garch (the garch model, refitted daily)
  double evt_tail = 0.1;              // garch_evt: k = floor(evt_tail x window) excesses
  int64_t seed = -1;                  // networks: the ensemble member (replicate) number
  int64_t max_epochs = 100;           // networks: training epochs at most
  int64_t patience = 5;               // networks: early-stopping patience (training loss)
  int64_t batch_size = 32;            // networks: minibatch size
  std::string activation = "relu";    // networks: LSTM cell activation, relu | tanh
  // Networks' training protocol (models/var/mdn/mdn_protocol.h); the defaults are the study's.
  std::string train_start;                 // earliest date training may use ("" = all history)
  double train_years = 0;                  // > 0: only the last train_years years before a fit
  int64_t refit_days = 0;                  // > 0: refit every refit_days test days
  std::string refit_window = "expanding";  // expanding | rolling
  std::string refit_start = "warm";        // warm (previous weights) | fresh (the seed's)
  std::string mdn_scale = "none";          // none | train_sd: returns / the training block's sd
  std::string mdn_filter = "none";         // none | ewma | garch: the network models r_t / sigma_t
  std::string mdn_validation = "thesis";   // thesis (unused 10%) | early_stop | none (no block)
  int64_t lags = 10;                       // returns a network sees per forecast
  // Backtests beyond the study's.
  int64_t simulations = 1000;  // draws of the simulated p-values (ES Z2, bootstrap, durations)
  bool mc_coverage = false;    // also Monte Carlo p-values of Kupiec and Christoffersen
};

const SettingsOf<BacktestSettings>& backtest_settings();

// The model names, once: classical models first, then the networks.
const std::vector<std::string>& classical_models();
const std::vector<std::string>& network_models();
std::vector<std::string> var_models();  // both
bool is_network_model(const std::string& model);

}  // namespace riskstep
