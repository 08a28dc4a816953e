// GARCH(1,1) and GJR fits: riskstep (NLopt L-BFGS with the analytic gradient; BOBYQA for the
// skewed t) against R's fGarch (nlminb) on the same 251-day windows of the S&P 500, and the
// single-core time of the whole classical backtest of Herrig (2023): 3 indices x 2 periods x
// (HS, CMM, GARCH-GED) with every statistic.
//   garch_vs_fgarch [--data DIR] [--windows 200] [--kind garch|gjr]
//                   [--distribution ged|normal|student_t|skew_t] [--repeats 20]
// Needs Rscript with fGarch for the comparison; without it, prints only our numbers.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "data/market/price_csv.h"
#include "models/var/cmm.h"
#include "models/var/garch.h"
#include "models/var/historical_simulation.h"
#include "models/var/returns.h"
#include "stats/backtest.h"

namespace fs = std::filesystem;
using namespace riskstep;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct ReferenceFit {
  GarchParameters parameters;
  double loglik, seconds;
};

std::vector<ReferenceFit> read_reference(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<ReferenceFit> fits;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string field;
    std::vector<double> values;
    while (std::getline(fields, field, ',')) values.push_back(std::stod(field));
    if (values.size() != 8)
      throw std::runtime_error(path + ": expected 8 columns in '" + line + "'");
    ReferenceFit fit;
    fit.parameters = {values[0], values[1], values[2], values[3], values[4], values[5]};
    fit.loglik = values[6];
    fit.seconds = values[7];
    fits.push_back(fit);
  }
  return fits;
}

double quantile_of(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * (values.size() - 1))];
}

void time_classical_backtest(const std::string& data) {
  const auto started = Clock::now();
  size_t fits = 0;
  for (const char* index : {"ftse", "gspc", "stoxx50e"}) {
    const PriceSeries prices = read_price_csv(data + "/herrig2023/prices/" + index + ".csv");
    const ReturnSeries series = simple_returns(prices.dates, prices.prices);
    for (const char* period : {"calm", "covid"}) {
      const TestWindow w = select_test_window(series, parse_period(period), 251);
      std::vector<double> losses;
      for (size_t t = w.first; t < w.last; ++t) losses.push_back(-series.returns[t]);
      const VarForecast forecasts[] = {
          forecast_historical_simulation(series.returns, w.first, w.last, {0.01}),
          forecast_cmm(series.returns, w.first, w.last, {0.01}),
          forecast_garch(series.returns, w.first, w.last, {0.01})};
      for (const VarForecast& f : forecasts) {
        const BacktestResult r = backtest(losses, f.var[0], 0.01);
        if (r.days != static_cast<int64_t>(w.size())) throw std::logic_error("backtest size");
      }
      fits += w.size();
    }
  }
  std::printf(
      "classical backtest (3 indices x 2 periods, HS + CMM + GARCH-GED, %zu GARCH fits, "
      "1 core): %.3f s\n",
      fits, seconds_since(started));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"GARCH(1,1): riskstep vs R fGarch, and the classical backtest time"};
  std::string data = std::getenv("RISKSTEP_SHARED_DATA")
                         ? std::getenv("RISKSTEP_SHARED_DATA")
                         : (fs::path(__FILE__).parent_path() / "../../shared/data").string();
  std::string r_script = (fs::path(__FILE__).parent_path() / "garch_fgarch.R").string();
  size_t windows = 200;
  int repeats = 20;
  std::string distribution_name = "ged", optimizer_name = "lbfgs", kind_name = "garch";
  double tolerance = GarchFitOptions().relative_tolerance;
  app.add_option("--data", data, "shared data directory (holds herrig2023/)");
  app.add_option("--windows", windows, "number of 251-day gspc windows");
  app.add_option("--distribution", distribution_name, "ged, normal, student_t or skew_t")
      ->check(CLI::IsMember({"ged", "normal", "student_t", "skew_t"}));
  app.add_option("--kind", kind_name, "garch or gjr (fGarch's APARCH(1,1), delta 2)")
      ->check(CLI::IsMember({"garch", "gjr"}));
  app.add_option("--repeats", repeats, "timing repetitions of our fits");
  app.add_option("--optimizer", optimizer_name, "NLopt algorithm")
      ->check(CLI::IsMember({"lbfgs", "slsqp", "bobyqa"}));
  app.add_option("--tolerance", tolerance, "NLopt relative tolerance (ftol_rel, xtol_rel)");
  app.add_option("--r-script", r_script, "path of garch_fgarch.R");
  CLI11_PARSE(app, argc, argv);
  const GarchDistribution distribution = parse_garch_distribution(distribution_name);
  // fGarch starts its filter at omega + (alpha + beta) mean(e^2): compare like with like.
  GarchFitOptions options;
  options.kind = parse_garch_kind(kind_name);
  options.initial_variance = InitialVariance::fgarch;
  options.relative_tolerance = tolerance;
  options.optimizer = optimizer_name == "slsqp"    ? GarchOptimizer::slsqp
                      : optimizer_name == "bobyqa" ? GarchOptimizer::bobyqa
                                                   : GarchOptimizer::lbfgs;

  const std::string prices_path = data + "/herrig2023/prices/gspc.csv";
  if (!fs::exists(prices_path)) {
    std::cerr << prices_path << ": not found (pass --data DIR)\n";
    return 2;
  }
  const PriceSeries prices = read_price_csv(prices_path);
  const ReturnSeries series = simple_returns(prices.dates, prices.prices);
  const TestWindow test = select_test_window(series, parse_period("covid"), 251);
  windows = std::min(windows, test.size());
  std::vector<std::vector<double>> samples;
  for (size_t t = test.first; t < test.first + windows; ++t)
    samples.emplace_back(series.returns.begin() + (t - 251), series.returns.begin() + t);

  std::vector<GarchFit> ours;
  const auto started = Clock::now();
  for (int r = 0; r < repeats; ++r) {
    ours.clear();
    for (const auto& sample : samples)
      ours.push_back(fit_garch(sample, distribution, std::nullopt, options));
  }
  const double our_seconds = seconds_since(started) / (repeats * samples.size());
  double evaluations = 0.0;
  for (const GarchFit& fit : ours) evaluations += fit.evaluations;
  std::printf("%s(1,1)-%s on %zu gspc windows of 251 days (covid test period)\n",
              kind_name == "gjr" ? "GJR" : "GARCH", distribution_name.c_str(), samples.size());
  std::printf(
      "riskstep (NLopt %s, tolerance %g, fGarch's initial variance): %.1f us per fit, %.1f "
      "likelihood evaluations per fit\n",
      distribution == GarchDistribution::skew_t ? "bobyqa (skewed t)" : optimizer_name.c_str(),
      tolerance, our_seconds * 1e6, evaluations / samples.size());

  const fs::path scratch =
      fs::temp_directory_path() / ("garch_vs_fgarch_" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  {
    std::ofstream out(scratch / "windows.csv");
    out.precision(17);
    for (const auto& sample : samples) {
      for (size_t i = 0; i < sample.size(); ++i) out << (i ? "," : "") << sample[i];
      out << "\n";
    }
  }
  const std::string r_distribution = distribution_name == "normal"      ? "norm"
                                     : distribution_name == "student_t" ? "std"
                                     : distribution_name == "skew_t"    ? "sstd"
                                                                        : "ged";
  const std::string command = "Rscript '" + r_script + "' '" + (scratch / "windows.csv").string() +
                              "' " + r_distribution + " " + kind_name + " '" +
                              (scratch / "fgarch.csv").string() + "'";
  if (std::system("Rscript -e 'suppressMessages(library(fGarch))' > /dev/null 2>&1") != 0) {
    std::printf("fGarch: not available (Rscript with library(fGarch) failed): no comparison\n");
  } else if (std::system(command.c_str()) != 0) {
    std::printf("fGarch: '%s' failed: no comparison\n", command.c_str());
  } else {
    const std::vector<ReferenceFit> reference = read_reference((scratch / "fgarch.csv").string());
    double reference_seconds = 0.0;
    std::vector<double> relative, definition_gap;
    size_t ours_better = 0, ours_worse = 0;
    for (size_t i = 0; i < reference.size(); ++i) {
      reference_seconds += reference[i].seconds / reference.size();
      const double diff = (ours[i].loglik - reference[i].loglik) / std::fabs(reference[i].loglik);
      relative.push_back(diff);
      if (diff > 1e-6) ++ours_better;
      if (diff < -1e-6) ++ours_worse;
      // Our likelihood at fGarch's parameters against fGarch's own value: same definition?
      const double at_reference = garch_loglik(samples[i], distribution, reference[i].parameters,
                                               nullptr, InitialVariance::fgarch, options.kind);
      definition_gap.push_back(std::fabs(at_reference - reference[i].loglik) /
                               std::fabs(reference[i].loglik));
    }
    std::printf("fGarch:   %.1f us per fit (garchFit, nlminb)\n", reference_seconds * 1e6);
    std::printf("speed ratio fGarch / riskstep: %.0fx\n", reference_seconds / our_seconds);
    std::printf(
        "loglik (ours - fGarch) / |fGarch| per fit: min %.3g, median %.3g, max %.3g; "
        "ours better by > 1e-6 in %zu fits, worse by > 1e-6 in %zu of %zu\n",
        quantile_of(relative, 0.0), quantile_of(relative, 0.5), quantile_of(relative, 1.0),
        ours_better, ours_worse, relative.size());
    std::printf(
        "likelihood definitions: |our loglik at fGarch's optimum - fGarch's| / |fGarch| "
        "max %.3g\n",
        quantile_of(definition_gap, 1.0));
  }
  fs::remove_all(scratch);
  time_classical_backtest(data);
  return 0;
}
