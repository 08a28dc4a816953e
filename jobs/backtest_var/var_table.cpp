#include "jobs/backtest_var/var_table.h"

#include <algorithm>
#include <stdexcept>

#include "jobs/backtest_var/backtest_settings.h"
#include "pipeline/tables/aggregate.h"
#include "pipeline/tables/table_format.h"

namespace riskstep {
namespace {

const std::vector<std::string> kRequired = {"hits",
                                            "hit_rate",
                                            "lr_uc",
                                            "p_uc",
                                            "lr_ind",
                                            "p_ind",
                                            "lr_cc",
                                            "p_cc",
                                            "pass_uc",
                                            "pass_cc",
                                            "volatility_correlation"};

// One task per group (classical models, or a single seed): that task's statistics, under the
// summary's names (docs/results-columns.md).
Table single_run_table(const Table& summary, const std::vector<std::string>& group_by) {
  std::vector<AggregateSpec> columns;
  for (const char* name : {"hits", "hit_rate", "lr_uc", "p_uc", "lr_ind", "p_ind", "lr_cc", "p_cc",
                           "pass_uc", "pass_cc", "volatility_correlation"})
    columns.push_back({name, Reducer::mean, name});
  // Results written before these statistics existed have no such columns.
  for (const char* name : {"vol_slope", "tick_loss", "fz0_loss", "p_z2", "p_mf", "p_duration_mc"})
    if (summary.has(name)) columns.push_back({name, Reducer::mean, name});
  const Table values = aggregate_table(summary, group_by, columns);
  Table table;
  for (size_t i = 0; i < values.names.size(); ++i) {
    const std::string& name = values.names[i];
    if (name == "volatility_correlation" && summary.has("traffic_light"))
      // Groups are single rows in first-seen order, so the summary's column lines up.
      table.add("traffic_light", summary.column("traffic_light")).add(name, values.columns[i]);
    else
      table.add(name, values.columns[i]);
  }
  return table;
}

Table spread_over_seeds_table(const Table& summary, const std::vector<std::string>& group_by) {
  std::vector<AggregateSpec> columns = {
      {"hits", Reducer::count, "runs"},           {"hits", Reducer::mean, "hits_mean"},
      {"hits", Reducer::sd, "hits_sd"},           {"hits", Reducer::min, "hits_min"},
      {"hits", Reducer::max, "hits_max"},         {"hit_rate", Reducer::mean, "hit_rate"},
      {"pass_uc", Reducer::rate, "pass_uc_rate"}, {"pass_cc", Reducer::rate, "pass_cc_rate"}};
  // Results written before the ES backtests existed have no such columns.
  if (summary.has("pass_z2"))
    columns.insert(columns.end(), {{"pass_z2", Reducer::rate, "pass_z2_rate"},
                                   {"pass_mf", Reducer::rate, "pass_mf_rate"}});
  columns.insert(columns.end(),
                 {{"lr_uc", Reducer::mean, "lr_uc"},
                  {"volatility_correlation", Reducer::mean, "volatility_correlation"}});
  for (const char* name : {"vol_slope", "tick_loss", "fz0_loss"})
    if (summary.has(name)) columns.push_back({name, Reducer::mean, name});
  return aggregate_table(summary, group_by, columns);
}

// Settings that take several values for one model in these rows (e.g. GARCH at windows of 251
// and 1000, or GARCH and GJR): each value its own rows. The networks' training protocol is the
// summary's `protocol` column, the replicate `seed` what the rows aggregate over.
std::vector<std::string> variant_settings(const Table& summary) {
  static const std::vector<std::string> described = {
      "index",       "period",      "model",      "levels",       "seed",       "garch_dist",
      "train_start", "train_years", "refit_days", "refit_window", "refit_start"};
  const size_t models = aggregate_table(summary, {"model"}, {}).rows();
  std::vector<std::string> variants;
  for (const auto& name : backtest_settings().schema().names()) {
    if (std::find(described.begin(), described.end(), name) != described.end()) continue;
    if (summary.has(name) && aggregate_table(summary, {"model", name}, {}).rows() > models)
      variants.push_back(name);
  }
  return variants;
}

}  // namespace

Table var_table(const Table& summary, const VarTableOptions& options) {
  std::vector<std::string> group_by = options.group_by;
  if (group_by.empty()) {
    group_by = {"index", "period", "model", "level"};
    // Networks trained under several protocols (refits), GARCH with several innovation
    // distributions, any setting with several values for one model: different rows.
    const std::vector<std::string> variants = variant_settings(summary);
    group_by.insert(group_by.begin() + 3, variants.begin(), variants.end());
    if (summary.has("garch_dist")) group_by.insert(group_by.begin() + 3, "garch_dist");
    if (summary.has("protocol")) group_by.insert(group_by.begin() + 3, "protocol");
  }
  require_columns(summary, group_by, "--by: the summary");
  require_columns(summary, kRequired, "not a VaR backtest summary: it");
  const Table counts = aggregate_table(summary, group_by, {{"hits", Reducer::count, "runs"}});
  const bool single = counts.rows() == summary.rows();
  return single ? single_run_table(summary, group_by) : spread_over_seeds_table(summary, group_by);
}

void print_var_table(std::ostream& out, const Table& summary, const VarTableOptions& options) {
  const Table table = var_table(summary, options);
  if (options.csv)
    write_csv(out, table);
  else
    write_markdown(out, table);
}

}  // namespace riskstep
