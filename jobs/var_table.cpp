#include "jobs/var_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "pipeline/table_format.h"

namespace riskstep {
namespace {

std::string cell_text(const Column& column, size_t row) {
  if (const auto* s = std::get_if<std::vector<std::string>>(&column)) return (*s)[row];
  if (const auto* i = std::get_if<std::vector<int64_t>>(&column)) return std::to_string((*i)[row]);
  char text[32];
  std::snprintf(text, sizeof text, "%g", std::get<std::vector<double>>(column)[row]);
  return text;
}

double cell_number(const Column& column, size_t row) {
  if (const auto* i = std::get_if<std::vector<int64_t>>(&column)) return static_cast<double>((*i)[row]);
  if (const auto* d = std::get_if<std::vector<double>>(&column)) return (*d)[row];
  throw std::invalid_argument("summary column is not numeric");
}

struct Spread {
  double mean = 0, sd = 0, min = 0, max = 0;
};

Spread spread(const std::vector<double>& values) {
  Spread s;
  if (values.empty()) return s;
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  for (double v : values) s.mean += v;
  s.mean /= static_cast<double>(values.size());
  if (values.size() > 1) {
    for (double v : values) s.sd += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(s.sd / static_cast<double>(values.size() - 1));
  }
  return s;
}

const char* kRequired[] = {"hits", "hit_rate", "lr_uc", "p_uc", "lr_ind", "p_ind",
                           "lr_cc", "p_cc", "pass_uc", "pass_cc", "volatility_correlation"};

}  // namespace

Table var_table(const Table& summary, const VarTableOptions& options) {
  std::vector<std::string> group_by = options.group_by;
  if (group_by.empty()) group_by = {"index", "period", "model", "level"};
  for (const auto& name : group_by)
    if (!summary.has(name))
      throw std::invalid_argument("--by: the summary has no column '" + name + "'");
  for (const char* name : kRequired)
    if (!summary.has(name))
      throw std::invalid_argument(std::string("not a VaR backtest summary: no column '") + name + "'");

  // Groups in first-seen order, so the table follows the order the tasks were defined in.
  std::vector<std::vector<std::string>> keys;
  std::map<std::vector<std::string>, std::vector<size_t>> rows_of;
  for (size_t row = 0; row < summary.rows(); ++row) {
    std::vector<std::string> key;
    for (const auto& name : group_by) key.push_back(cell_text(summary.column(name), row));
    if (!rows_of.count(key)) keys.push_back(key);
    rows_of[key].push_back(row);
  }
  const bool single = std::all_of(keys.begin(), keys.end(),
                                  [&](const auto& key) { return rows_of[key].size() == 1; });

  Table table;
  std::vector<std::vector<std::string>> key_columns(group_by.size());
  std::map<std::string, std::vector<double>> numbers;
  std::vector<std::string> verdicts_uc, verdicts_cc, lights;
  std::vector<int64_t> runs;
  for (const auto& key : keys) {
    const auto& rows = rows_of[key];
    for (size_t i = 0; i < key.size(); ++i) key_columns[i].push_back(key[i]);
    runs.push_back(static_cast<int64_t>(rows.size()));
    auto values = [&](const char* name) {
      std::vector<double> v;
      for (size_t row : rows) v.push_back(cell_number(summary.column(name), row));
      return v;
    };
    const Spread hits = spread(values("hits"));
    if (single) {
      for (const char* name : {"hits", "hit_rate", "lr_uc", "p_uc", "lr_ind", "p_ind", "lr_cc", "p_cc",
                               "volatility_correlation"})
        numbers[name].push_back(values(name)[0]);
      verdicts_uc.push_back(values("pass_uc")[0] > 0 ? "pass" : "FAIL");
      verdicts_cc.push_back(values("pass_cc")[0] > 0 ? "pass" : "FAIL");
      lights.push_back(summary.has("traffic_light") ? cell_text(summary.column("traffic_light"), rows[0]) : "");
    } else {
      numbers["hits_mean"].push_back(hits.mean);
      numbers["hits_sd"].push_back(hits.sd);
      numbers["hits_min"].push_back(hits.min);
      numbers["hits_max"].push_back(hits.max);
      numbers["hit_rate"].push_back(spread(values("hit_rate")).mean);
      numbers["kupiec_pass_rate"].push_back(spread(values("pass_uc")).mean);
      numbers["cc_pass_rate"].push_back(spread(values("pass_cc")).mean);
      numbers["lr_uc_mean"].push_back(spread(values("lr_uc")).mean);
      numbers["volatility_correlation"].push_back(spread(values("volatility_correlation")).mean);
    }
  }
  for (size_t i = 0; i < group_by.size(); ++i) table.add(group_by[i], key_columns[i]);
  if (single) {
    for (const char* name : {"hits", "hit_rate", "lr_uc", "p_uc", "lr_ind", "p_ind", "lr_cc", "p_cc"})
      table.add(name, numbers[name]);
    table.add("kupiec_5pct", verdicts_uc).add("cc_5pct", verdicts_cc).add("traffic_light", lights);
    table.add("volatility_correlation", numbers["volatility_correlation"]);
  } else {
    table.add("runs", runs);
    for (const char* name : {"hits_mean", "hits_sd", "hits_min", "hits_max", "hit_rate",
                             "kupiec_pass_rate", "cc_pass_rate", "lr_uc_mean", "volatility_correlation"})
      table.add(name, numbers[name]);
  }
  return table;
}

void print_var_table(std::ostream& out, const Table& summary, const VarTableOptions& options) {
  const Table table = var_table(summary, options);
  if (options.csv)
    write_csv(out, table);
  else
    write_markdown(out, table);
}

}  // namespace riskstep
