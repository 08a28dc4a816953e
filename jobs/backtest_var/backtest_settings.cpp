#include "jobs/backtest_var/backtest_settings.h"

#include <algorithm>
#include <initializer_list>
#include <map>

namespace riskstep {

namespace {

// Every VaR model, once: its name (the setting's value), its label in tables and figures (which
// the report scripts read from `riskstep describe`), and whether it is a network. Classical models
// first; this order is the order of tables and figures.
struct VarModel {
  const char* name;
  const char* label;
  bool network;
};
constexpr VarModel kVarModels[] = {
    {"hs", "HS", false},
    {"cmm", "CMM", false},
    {"garch", "GARCH(1,1)", false},
    {"ewma", "EWMA", false},
    {"fhs", "FHS", false},
    {"garch_evt", "GARCH-EVT", false},
    {"uncond", "Unconditional", false},
    {"mdn2", "MDN K=2", true},
    {"mdn2reg", "MDN K=2 reg.", true},
    {"mdn3", "MDN K=3", true},
};

std::vector<std::string> model_names(bool networks) {
  std::vector<std::string> names;
  for (const VarModel& model : kVarModels)
    if (model.network == networks) names.push_back(model.name);
  return names;
}

std::map<std::string, std::string> model_labels() {
  std::map<std::string, std::string> labels;
  for (const VarModel& model : kVarModels) labels[model.name] = model.label;
  return labels;
}

}  // namespace

const std::vector<std::string>& classical_models() {
  static const std::vector<std::string> names = model_names(false);
  return names;
}

const std::vector<std::string>& network_models() {
  static const std::vector<std::string> names = model_names(true);
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

namespace {

// Which models read a setting (used_when); `identity` holds every default.
bool model_in(const Params& identity, std::initializer_list<const char*> models) {
  const std::string model = canonical_text(identity.at("model"));
  for (const char* name : models)
    if (model == name) return true;
  return false;
}
bool fhs_with(const Params& identity, const char* filter) {
  return model_in(identity, {"fhs"}) && canonical_text(identity.at("fhs_filter")) == filter;
}
bool network_with(const Params& identity, const char* filter) {
  return is_network_model(canonical_text(identity.at("model"))) &&
         canonical_text(identity.at("mdn_filter")) == filter;
}
bool reads_window(const Params& p) {
  return model_in(p, {"hs", "cmm", "garch", "fhs", "garch_evt"}) || network_with(p, "garch");
}
bool reads_garch_model(const Params& p) {  // distribution
  return model_in(p, {"garch"}) || fhs_with(p, "garch") || network_with(p, "garch");
}
bool reads_garch_recursion(const Params& p) {  // kind and start
  return model_in(p, {"garch", "garch_evt"}) || fhs_with(p, "garch") || network_with(p, "garch");
}
bool reads_ewma(const Params& p) {
  return model_in(p, {"ewma"}) || fhs_with(p, "ewma") || network_with(p, "ewma");
}
bool reads_train_start(const Params& p) {
  return is_network_model(canonical_text(p.at("model"))) || model_in(p, {"uncond"});
}

}  // namespace

// Each model's task holds only the settings that model reads (`used_when`), so tuning the networks
// never recomputes a classical model. The price data enters a task by its content (input digest,
// backtest_var.cpp): `data`, `data_dir` and `price_column` only say where to find it.
const SettingsOf<BacktestSettings>& backtest_settings() {
  using S = BacktestSettings;
  static const auto bound =
      SettingsOf<S>()
          .label("index", &S::index, "Index name (file <data_dir>/<index>.csv)")
          .identity("period", &S::period, "calm | covid | YYYY | YYYY:YYYY | YYYY-MM-DD:YYYY-MM-DD")
          .identity("model", &S::model, "VaR model", var_models())
          .choice_labels(model_labels())
          .identity("levels", &S::levels, "Tail probabilities, e.g. 0.01,0.05")
          .above(0)
          .below(0.5)
          .distinct()
          .non_empty()
          .input("data", &S::data, "Price CSV (Yahoo, thesis or date,close), or synthetic")
          .path({"synthetic"})
          .input("data_dir", &S::data_dir, "Directory holding <index>.csv")
          .path()
          .input("price_column", &S::price_column, "Price column (default Close)")
          .identity("window", &S::window, "Rolling estimation window, in returns")
          .between(2, 5000)
          .used_when(reads_window)
          .identity("garch_dist", &S::garch_dist, "GARCH innovations (skew_t: fGarch's sstd)",
                    {"ged", "normal", "student_t", "skew_t", "auto"})
          .used_when(reads_garch_model)
          .identity("garch_kind", &S::garch_kind,
                    "GARCH(1,1), or GJR (fGarch's APARCH(1,1) with delta 2)", {"garch", "gjr"})
          .used_when(reads_garch_recursion)
          .identity("garch_start", &S::garch_start,
                    "study: s2_1 = mean(e^2); fgarch: R fGarch's start (as the thesis)",
                    {"study", "fgarch"})
          .used_when(reads_garch_recursion)
          .identity("ewma_lambda", &S::ewma_lambda, "EWMA decay (RiskMetrics: 0.94)")
          .above(0)
          .below(1)
          .used_when(reads_ewma)
          .identity("fhs_filter", &S::fhs_filter, "Filtered HS volatility filter",
                    {"ewma", "garch"})
          .used_when("model", {"fhs"})
          .identity("evt_tail", &S::evt_tail, "GARCH-EVT: share of the window in the GPD tail")
          .above(0)
          .at_most(0.5)
          .used_when("model", {"garch_evt"})
          .identity("seed", &S::seed, "Network replicate number (one ensemble member each)")
          .at_least(0)
          .used_when("model", network_models())
          .identity("max_epochs", &S::max_epochs, "Network training epochs at most")
          .at_least(1)
          .used_when("model", network_models())
          .identity("patience", &S::patience, "Early-stopping patience (training loss)")
          .at_least(1)
          .used_when("model", network_models())
          .identity("batch_size", &S::batch_size, "Network minibatch size")
          .at_least(1)
          .used_when("model", network_models())
          .identity("activation", &S::activation, "LSTM activation", {"relu", "tanh"})
          .used_when("model", network_models())
          .identity("train_start", &S::train_start,
                    "Networks and uncond: earliest training date (YYYY-MM-DD)")
          .used_when(reads_train_start)
          .identity("train_years", &S::train_years, "Networks: train on the last N years (0 = all)")
          .at_least(0)
          .used_when("model", network_models())
          .identity("refit_days", &S::refit_days, "Networks: refit every N test days (0 = never)")
          .at_least(0)
          .used_when("model", network_models())
          .identity("refit_window", &S::refit_window, "Refits keep the start or the length",
                    {"expanding", "rolling"})
          .used_when("model", network_models())
          .identity("refit_start", &S::refit_start, "Refits start from the last weights or anew",
                    {"warm", "fresh"})
          .used_when("model", network_models())
          .identity("mdn_scale", &S::mdn_scale,
                    "Networks: divide returns by the training block's sd (train_sd)",
                    {"none", "train_sd"})
          .used_when("model", network_models())
          .identity("mdn_filter", &S::mdn_filter,
                    "Networks: model r_t / sigma_t, sigma from EWMA or the daily GARCH",
                    {"none", "ewma", "garch"})
          .used_when("model", network_models())
          .identity("mdn_validation", &S::mdn_validation,
                    "Networks: the last 10% unused (thesis), for early stopping, or none",
                    {"thesis", "early_stop", "none"})
          .used_when("model", network_models())
          .identity("lags", &S::lags, "Networks: past returns per forecast")
          .between(1, 250)
          .used_when("model", network_models())
          .identity("simulations", &S::simulations, "Draws of the simulated p-values")
          .between(1, 1000000)
          .identity("mc_coverage", &S::mc_coverage,
                    "Monte Carlo p-values of Kupiec and Christoffersen too");
  return bound;
}

}  // namespace riskstep
