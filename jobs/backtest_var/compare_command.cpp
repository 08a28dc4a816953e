#include "jobs/backtest_var/compare_command.h"

#include <cmath>
#include <iostream>
#include <map>
#include <set>

#include "app/run_command.h"
#include "jobs/backtest_var/backtest_settings.h"
#include "jobs/backtest_var/var_levels.h"
#include "pipeline/store/out_layout.h"
#include "pipeline/store/result_store.h"
#include "pipeline/tables/table_format.h"
#include "stats/diebold_mariano.h"

namespace riskstep {
namespace {

struct CompareOptions {
  std::string input;
  std::string level = "0.01";
  std::string loss = "fz0";
  std::string baseline;
  bool csv = false;
  bool list_tasks = false;
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

// Coverage of a variant at one level over its tasks (every cell and seed), from the tasks' /summary
// rows: hits against expected hits, the share of tasks each test does not reject at 5%, and the
// mean VaR-volatility slope (docs/results-columns.md, Comparisons).
struct Coverage {
  int64_t tasks = 0;
  double hits = 0, expected = 0, vol_slope = 0;
  // rate column -> (tasks whose p-value is >= 0.05, tasks that have that p-value)
  std::map<std::string, std::pair<int64_t, int64_t>> passes;
};

// Pass-rate column -> the summary's p-value it counts (simulated ones only when present).
const std::vector<std::pair<std::string, std::string>> kPassRates = {
    {"pass_uc_rate", "p_uc"},
    {"pass_cc_rate", "p_cc"},
    {"pass_uc_mc_rate", "p_uc_mc"},
    {"pass_cc_mc_rate", "p_cc_mc"},
    {"pass_duration_rate", "p_duration"},
    {"pass_z2_rate", "p_z2"}};

void tally(const Table& summary, double level, Coverage& coverage) {
  for (size_t row = 0; row < summary.rows(); ++row) {
    if (std::abs(numeric_cell(summary.column("level"), row) - level) > 1e-12) continue;
    ++coverage.tasks;
    coverage.hits += numeric_cell(summary.column("hits"), row);
    coverage.expected += level * numeric_cell(summary.column("days"), row);
    if (summary.has("vol_slope"))
      coverage.vol_slope += numeric_cell(summary.column("vol_slope"), row);
    for (const auto& [rate, p_value] : kPassRates)
      if (summary.has(p_value)) {
        auto& [passed, tested] = coverage.passes[rate];
        passed += numeric_cell(summary.column(p_value), row) >= 0.05;
        ++tested;
      }
  }
}

// Daily losses per variant and cell ("index period"), averaged over a variant's seeds.
using Cells = std::map<std::string, std::vector<double>>;
struct VariantScores {
  Cells losses;
  Coverage coverage;
};

void add_losses(const std::vector<double>& values, const std::string& task_id,
                std::pair<std::vector<double>, int>& sum) {
  if (sum.first.empty()) sum.first.assign(values.size(), 0.0);
  if (sum.first.size() != values.size())
    throw std::invalid_argument("task " + task_id + ": " + std::to_string(values.size()) +
                                " days of losses, its seeds " + std::to_string(sum.first.size()));
  for (size_t t = 0; t < values.size(); ++t) sum.first[t] += values[t];
  ++sum.second;
}

std::map<std::string, VariantScores> variant_scores(const std::vector<TaskRecord>& records,
                                                    const std::string& column, double level) {
  std::map<std::string, std::map<std::string, std::pair<std::vector<double>, int>>> sums;
  std::map<std::string, VariantScores> scores;
  for (const TaskRecord& record : records) {
    if (record.task.kind != "backtest_var" || record.status != "ok") continue;
    const auto it = record.result.columns.find(column);
    if (it == record.result.columns.end()) continue;
    const std::string variant = variant_label(record.task);
    const std::string cell = std::get<std::string>(record.task.params.at("index")) + " " +
                             std::get<std::string>(record.task.params.at("period"));
    add_losses(std::get<std::vector<double>>(it->second), record.task.id, sums[variant][cell]);
    tally(record.result.summary, level, scores[variant].coverage);
  }
  for (auto& [variant, cells] : sums)
    for (auto& [cell, pair] : cells) {
      for (double& value : pair.first) value /= double(pair.second);
      scores[variant].losses[cell] = std::move(pair.first);
    }
  return scores;
}

void add_coverage_columns(const std::vector<Coverage>& coverages, Table& table) {
  std::vector<int64_t> tasks;
  std::vector<double> ratio, slope;
  for (const Coverage& c : coverages) {
    tasks.push_back(c.tasks);
    ratio.push_back(c.expected > 0 ? c.hits / c.expected : std::nan(""));
    slope.push_back(c.tasks > 0 ? c.vol_slope / double(c.tasks) : std::nan(""));
  }
  table.add("tasks", tasks).add("hits_ratio", ratio);
  for (const auto& [rate, p_value] : kPassRates) {
    std::vector<double> rates;
    for (const Coverage& c : coverages) {
      const auto it = c.passes.find(rate);
      if (it != c.passes.end() && it->second.second == c.tasks)
        rates.push_back(double(it->second.first) / double(c.tasks));
    }
    // Results without that p-value in every task (e.g. mc_coverage off) have no such column.
    if (rates.size() == coverages.size()) table.add(rate, rates);
  }
  table.add("vol_slope", slope);
}

Table compare_table(const std::map<std::string, VariantScores>& scores,
                    const std::string& baseline) {
  std::vector<std::string> variants, compared;
  std::vector<int64_t> cells, days;
  std::vector<double> mean, difference, statistic, p_value;
  std::vector<Coverage> coverages;
  const Cells* baseline_losses = baseline.empty() ? nullptr : &scores.at(baseline).losses;
  for (const auto& [variant, score] : scores) {
    std::vector<double> pooled, mine, theirs;
    for (const auto& [cell, values] : score.losses) {
      pooled.insert(pooled.end(), values.begin(), values.end());
      if (!baseline_losses || !baseline_losses->count(cell)) continue;
      mine.insert(mine.end(), values.begin(), values.end());
      const auto& other = baseline_losses->at(cell);
      theirs.insert(theirs.end(), other.begin(), other.end());
    }
    variants.push_back(variant);
    cells.push_back(int64_t(score.losses.size()));
    days.push_back(int64_t(pooled.size()));
    double sum = 0.0;
    for (double value : pooled) sum += value;
    mean.push_back(sum / double(pooled.size()));
    coverages.push_back(score.coverage);
    const bool paired = mine.size() >= 3 && variant != baseline;
    const DieboldMarianoResult dm = paired ? diebold_mariano(mine, theirs) : DieboldMarianoResult{};
    difference.push_back(paired ? dm.mean_difference : 0.0);
    statistic.push_back(paired ? dm.statistic : 0.0);
    p_value.push_back(paired ? dm.p_value : 1.0);
    compared.push_back(paired ? "yes" : "");
  }
  Table table;
  table.add("variant", variants).add("cells", cells).add("days", days);
  add_coverage_columns(coverages, table);
  table.add("mean_loss", mean);
  if (!baseline.empty())
    table.add("vs_baseline", compared)
        .add("mean_difference", difference)
        .add("dm_statistic", statistic)
        .add("dm_p", p_value);
  return table;
}

// Which variant each task belongs to, so a script can select a variant's tasks by this name.
Table task_variants(const std::vector<TaskRecord>& records) {
  std::vector<std::string> ids, variants;
  for (const TaskRecord& record : records)
    if (record.task.kind == "backtest_var" && record.status == "ok") {
      ids.push_back(record.task.id);
      variants.push_back(variant_label(record.task));
    }
  Table table;
  table.add("task_id", ids).add("variant", variants);
  return table;
}

// One tail probability, checked as each item of the setting `levels` is.
double compared_level(const std::string& text) {
  std::vector<double> levels;
  try {
    levels = backtest_settings().read(Params{{"levels", text}}).levels;
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("--level: ") + error.what());
  }
  if (levels.size() != 1)
    throw std::invalid_argument("--level: expected one tail probability, got '" + text + "'");
  return levels.front();
}

int run_compare(const CompareOptions& options) {
  const std::string path = out_layout::existing_results_file(options.input);
  if (options.list_tasks) {
    write_csv(std::cout, task_variants(read_results_file(path)));
    return 0;
  }
  const double level = compared_level(options.level);
  const std::string column = options.loss + "_" + format_level(level);
  const auto scores = variant_scores(read_results_file(path), column, level);
  if (scores.empty())
    throw std::invalid_argument(path + ": no backtest_var task with daily " + column +
                                " losses (results of riskstep 0.2 or later)");
  if (!options.baseline.empty() && !scores.count(options.baseline)) {
    std::string known;
    for (const auto& [variant, score] : scores) known += "\n  " + variant;
    throw std::invalid_argument("--baseline '" + options.baseline +
                                "' is not a variant of these results; they hold:" + known);
  }
  const Table table = compare_table(scores, options.baseline);
  if (options.csv)
    write_csv(std::cout, table);
  else
    write_markdown(std::cout, table);
  return exit_status::ok;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* command = app.add_subcommand(
      "compare", "Score VaR models (tick and FZ0 loss) with Diebold-Mariano tests against one");
  command->footer(
      "Examples:\n"
      "  riskstep compare out/crisis_models --level 0.01 --loss fz0\n"
      "  riskstep compare out/crisis_models --baseline 'garch garch_dist=student_t "
      "garch_start=fgarch'\n"
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
  command->add_flag("--list-tasks", options->list_tasks,
                    "Print each task's id and variant (CSV) instead of the scores");
  command->callback([options, &exit_code] {
    // Every error here is in the file given.
    exit_code = run_command(
        "compare", [&] { return run_compare(*options); }, exit_status::bad_input);
  });
}

}  // namespace riskstep
