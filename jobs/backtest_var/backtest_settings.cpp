#include "jobs/backtest_var/backtest_settings.h"

namespace riskstep {

const SettingsOf<BacktestSettings>& backtest_settings() {
  using S = BacktestSettings;
  static const auto bound =
      SettingsOf<S>()
          .identity("index", &S::index, "Index name (file <data_dir>/<index>.csv)")
          .identity("period", &S::period, "calm | covid | YYYY-MM-DD:YYYY-MM-DD")
          .identity("model", &S::model, "VaR model",
                    {"hs", "cmm", "garch", "mdn2", "mdn2reg", "mdn3"})
          .identity("levels", &S::levels, "Tail probabilities, e.g. 0.01,0.05")
          .identity("data", &S::data, "Price CSV (Yahoo, thesis or date,close), or synthetic")
          .identity("data_dir", &S::data_dir, "Directory holding <index>.csv")
          .identity("price_column", &S::price_column, "Price column (default Close)")
          .identity("window", &S::window, "Rolling estimation window (returns)")
          .identity("garch_dist", &S::garch_dist, "GARCH innovations",
                    {"ged", "normal", "student_t", "auto"})
          .identity("garch_start", &S::garch_start,
                    "study: s2_1 = mean(e^2); fgarch: R fGarch's start (as the thesis)",
                    {"study", "fgarch"})
          .identity("seed", &S::seed, "Network replicate number (one ensemble member each)")
          .identity("max_epochs", &S::max_epochs, "Network training epochs at most")
          .identity("patience", &S::patience, "Early-stopping patience (training loss)")
          .identity("batch_size", &S::batch_size, "Network minibatch size")
          .identity("activation", &S::activation, "LSTM activation", {"relu", "tanh"})
          .identity("train_start", &S::train_start, "Networks: earliest training date (YYYY-MM-DD)")
          .identity("train_years", &S::train_years, "Networks: train on the last N years (0 = all)")
          .identity("refit_days", &S::refit_days, "Networks: refit every N test days (0 = never)")
          .identity("refit_window", &S::refit_window, "Refits keep the start or the length",
                    {"expanding", "rolling"})
          .identity("refit_start", &S::refit_start, "Refits start from the last weights or anew",
                    {"warm", "fresh"})
          .identity("simulations", &S::simulations, "Draws of the simulated p-values")
          .identity("mc_coverage", &S::mc_coverage,
                    "Monte Carlo p-values of Kupiec and Christoffersen too");
  return bound;
}

bool is_network_model(const std::string& model) {
  return model == "mdn2" || model == "mdn2reg" || model == "mdn3";
}

}  // namespace riskstep
