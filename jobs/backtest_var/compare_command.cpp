#include "jobs/backtest_var/compare_command.h"

#include <iostream>
#include <map>
#include <set>

#include "jobs/backtest_var/backtest_settings.h"
#include "jobs/backtest_var/var_levels.h"
#include "models/backtest/diebold_mariano.h"
#include "pipeline/core/printable.h"
#include "pipeline/store/out_layout.h"
#include "pipeline/store/result_store.h"
#include "pipeline/tables/table_format.h"

namespace riskstep {
namespace {

struct CompareOptions {
  std::string input;
  std::string level = "0.01";
  std::string loss = "fz0";
  std::string baseline;
  bool csv = false;
};

// What a variant is: the model and its settings off their defaults, but not where or what seed.
std::string variant_label(const Task& task) {
  static const std::set<std::string> apart = {"index", "period",      "levels",
                                              "seed",  "simulations", "mc_coverage"};
  std::string label = std::get<std::string>(task.params.at("model"));
  for (const auto& [name, value] : backtest_settings().schema().canonical(task.params, false))
    if (!apart.count(name) && name != "model") label += " " + name + "=" + param_to_string(value);
  return label;
}

// Daily losses per variant and cell ("index period"), averaged over a variant's seeds.
using Cells = std::map<std::string, std::vector<double>>;
std::map<std::string, Cells> daily_losses(const std::vector<TaskRecord>& records,
                                          const std::string& column) {
  std::map<std::string, std::map<std::string, std::pair<std::vector<double>, int>>> sums;
  for (const TaskRecord& record : records) {
    if (record.task.kind != "backtest_var" || record.status != "ok") continue;
    const auto it = record.result.columns.find(column);
    if (it == record.result.columns.end()) continue;
    const auto& values = std::get<std::vector<double>>(it->second);
    const std::string cell = std::get<std::string>(record.task.params.at("index")) + " " +
                             std::get<std::string>(record.task.params.at("period"));
    auto& [sum, count] = sums[variant_label(record.task)][cell];
    if (sum.empty()) sum.assign(values.size(), 0.0);
    if (sum.size() != values.size())
      throw std::invalid_argument("task " + record.task.id + ": " + column + " has " +
                                  std::to_string(values.size()) + " days, its seeds " +
                                  std::to_string(sum.size()));
    for (size_t t = 0; t < values.size(); ++t) sum[t] += values[t];
    ++count;
  }
  std::map<std::string, Cells> losses;
  for (auto& [variant, cells] : sums)
    for (auto& [cell, pair] : cells) {
      for (double& value : pair.first) value /= double(pair.second);
      losses[variant][cell] = std::move(pair.first);
    }
  return losses;
}

Table compare_table(const std::map<std::string, Cells>& losses, const std::string& baseline) {
  std::vector<std::string> variants, compared;
  std::vector<int64_t> cells, days;
  std::vector<double> mean, difference, statistic, p_value;
  for (const auto& [variant, by_cell] : losses) {
    std::vector<double> pooled, mine, theirs;
    for (const auto& [cell, values] : by_cell) {
      pooled.insert(pooled.end(), values.begin(), values.end());
      if (baseline.empty() || !losses.count(baseline) || !losses.at(baseline).count(cell)) continue;
      mine.insert(mine.end(), values.begin(), values.end());
      const auto& other = losses.at(baseline).at(cell);
      theirs.insert(theirs.end(), other.begin(), other.end());
    }
    variants.push_back(variant);
    cells.push_back(int64_t(by_cell.size()));
    days.push_back(int64_t(pooled.size()));
    double sum = 0.0;
    for (double value : pooled) sum += value;
    mean.push_back(sum / double(pooled.size()));
    const bool paired = mine.size() >= 3 && variant != baseline;
    const DieboldMarianoResult dm = paired ? diebold_mariano(mine, theirs) : DieboldMarianoResult{};
    difference.push_back(paired ? dm.mean_difference : 0.0);
    statistic.push_back(paired ? dm.statistic : 0.0);
    p_value.push_back(paired ? dm.p_value : 1.0);
    compared.push_back(paired ? "yes" : "");
  }
  Table table;
  table.add("variant", variants).add("cells", cells).add("days", days).add("mean_loss", mean);
  if (!baseline.empty())
    table.add("vs_baseline", compared)
        .add("mean_difference", difference)
        .add("dm_statistic", statistic)
        .add("dm_p", p_value);
  return table;
}

int run_compare(const CompareOptions& options) {
  try {
    const std::string path = out_layout::existing_results_file(options.input);
    const double level = parse_levels(options.level).at(0);
    const std::string column = options.loss + "_" + format_level(level);
    const auto losses = daily_losses(read_results_file(path), column);
    if (losses.empty())
      throw std::invalid_argument(path + ": no backtest_var task with daily " + column +
                                  " losses (results of riskstep 0.2 or later)");
    if (!options.baseline.empty() && !losses.count(options.baseline)) {
      std::string known;
      for (const auto& [variant, cells] : losses) known += "\n  " + variant;
      throw std::invalid_argument("--baseline '" + options.baseline +
                                  "' is not a variant of these results; they hold:" + known);
    }
    const Table table = compare_table(losses, options.baseline);
    if (options.csv)
      write_csv(std::cout, table);
    else
      write_markdown(std::cout, table);
  } catch (const std::exception& error) {
    std::cerr << "riskstep compare: " << printable(error.what()) << "\n";
    return 2;
  }
  return 0;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* command = app.add_subcommand(
      "compare", "Score VaR models (tick and FZ0 loss) with Diebold-Mariano tests against one");
  command->footer(
      "Examples:\n"
      "  riskstep compare out/crisis_models --level 0.01 --loss fz0\n"
      "  riskstep compare out/crisis_models --baseline 'garch garch_dist=student_t' --csv\n"
      "A variant is a model and its settings off their defaults; networks' seeds are averaged.\n"
      "Losses: docs/models.md (Scores); lower is better; dm_statistic < 0: the variant's loss is\n"
      "lower than the baseline's on the days both forecast.");
  command->add_option("input", options->input, "A sweep directory or a results file")->required();
  command->add_option("--level", options->level, "VaR level")->capture_default_str();
  command->add_option("--loss", options->loss, "fz0 (VaR and ES jointly) or tick (VaR)")
      ->check(CLI::IsMember({"fz0", "tick"}))
      ->capture_default_str();
  command->add_option("--baseline", options->baseline, "Variant to test every other against");
  command->add_flag("--csv", options->csv, "CSV instead of Markdown");
  command->callback([options, &exit_code] { exit_code = run_compare(*options); });
}

}  // namespace riskstep
