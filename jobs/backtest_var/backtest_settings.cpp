#include "jobs/backtest_var/backtest_settings.h"

#include <algorithm>

namespace riskstep {

const std::vector<std::string>& classical_models() {
  static const std::vector<std::string> names = {"hs", "cmm", "garch"};
  return names;
}

const std::vector<std::string>& network_models() {
  static const std::vector<std::string> names = {"mdn2", "mdn2reg", "mdn3"};
  return names;
}

std::vector<std::string> var_models() {
  std::vector<std::string> names = classical_models();
  names.insert(names.end(), network_models().begin(), network_models().end());
  return names;
}

bool is_network_model(const std::string& model) {
  const auto& networks = network_models();
  return std::find(networks.begin(), networks.end(), model) != networks.end();
}

// Each model's task holds only the settings that model reads (`used_when`), so tuning the networks
// never recomputes a classical model. The price data enters a task by its content (input digest,
// backtest_var.cpp): `data`, `data_dir` and `price_column` only say where to find it.
const SettingsOf<BacktestSettings>& backtest_settings() {
  using S = BacktestSettings;
  static const auto bound =
      SettingsOf<S>()
          .label("index", &S::index, "Index name (file <data_dir>/<index>.csv)")
          .identity("period", &S::period, "calm | covid | YYYY-MM-DD:YYYY-MM-DD")
          .identity("model", &S::model, "VaR model", var_models())
          .identity("levels", &S::levels, "Tail probabilities, e.g. 0.01,0.05")
          .input("data", &S::data, "Price CSV (Yahoo, thesis or date,close), or synthetic")
          .input("data_dir", &S::data_dir, "Directory holding <index>.csv")
          .input("price_column", &S::price_column, "Price column (default Close)")
          .identity("window", &S::window, "Rolling estimation window (returns)")
          .used_when("model", classical_models())
          .identity("garch_dist", &S::garch_dist, "GARCH innovations",
                    {"ged", "normal", "student_t", "auto"})
          .used_when("model", {"garch"})
          .identity("garch_start", &S::garch_start,
                    "study: s2_1 = mean(e^2); fgarch: R fGarch's start (as the thesis)",
                    {"study", "fgarch"})
          .used_when("model", {"garch"})
          .identity("seed", &S::seed, "Network replicate number (one ensemble member each)")
          .used_when("model", network_models())
          .identity("max_epochs", &S::max_epochs, "Network training epochs at most")
          .used_when("model", network_models())
          .identity("patience", &S::patience, "Early-stopping patience (training loss)")
          .used_when("model", network_models())
          .identity("batch_size", &S::batch_size, "Network minibatch size")
          .used_when("model", network_models())
          .identity("activation", &S::activation, "LSTM activation", {"relu", "tanh"})
          .used_when("model", network_models())
          .identity("train_start", &S::train_start, "Networks: earliest training date (YYYY-MM-DD)")
          .used_when("model", network_models())
          .identity("train_years", &S::train_years, "Networks: train on the last N years (0 = all)")
          .used_when("model", network_models())
          .identity("refit_days", &S::refit_days, "Networks: refit every N test days (0 = never)")
          .used_when("model", network_models())
          .identity("refit_window", &S::refit_window, "Refits keep the start or the length",
                    {"expanding", "rolling"})
          .used_when("model", network_models())
          .identity("refit_start", &S::refit_start, "Refits start from the last weights or anew",
                    {"warm", "fresh"})
          .used_when("model", network_models())
          .identity("simulations", &S::simulations, "Draws of the simulated p-values")
          .identity("mc_coverage", &S::mc_coverage,
                    "Monte Carlo p-values of Kupiec and Christoffersen too");
  return bound;
}

}  // namespace riskstep
