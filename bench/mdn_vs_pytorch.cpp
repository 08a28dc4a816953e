// LSTM-MDN training speed: the batched C++ ensemble (models/var/mdn) against a plain PyTorch loop
// (bench/mdn_reference.py, Debian python3-torch, one thread), same model, data, batch and epochs.
//
//   mdn_vs_pytorch [--epochs 20] [--seeds 10] [--python-seeds 2] [--architecture mdn2]
//       compare on gspc calm: seconds per network and per epoch, the ratio, final training losses.
//   mdn_vs_pytorch --grid DIR [--shard i/n] [--seeds 10] [--epochs 100]
//       the study grid (3 indices x 2 periods x 3 architectures x seeds) with early stopping;
//       writes DIR/<index>_<period>_<arch>.csv (per seed and test day: loss, mixture, VaR 1%, hit),
//       DIR/history_*.csv and DIR/summary_<shard>.csv, and prints hits at 99% against the thesis.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "data/market/price_csv.h"
#include "models/var/mdn/mdn_ensemble.h"
#include "models/var/mixture_quantile.h"
#include "models/var/returns.h"

namespace {

using namespace riskstep;

// CMake compiles with absolute paths: the thesis prices sit in ../shared beside the source tree.
const std::string kData = std::filesystem::path(__FILE__).parent_path().parent_path().string() +
                          "/../shared/data/herrig2023/prices/";

struct Args {
  int epochs = 20, seeds = 10, python_seeds = 2, threads = 1, shard = 0, shards = 1;
  std::string architecture = "mdn2", grid_dir, data = kData;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("option " + key + " needs a value");
    const std::string value = argv[++i];
    if (key == "--epochs")
      a.epochs = std::stoi(value);
    else if (key == "--seeds")
      a.seeds = std::stoi(value);
    else if (key == "--python-seeds")
      a.python_seeds = std::stoi(value);
    else if (key == "--threads")
      a.threads = std::stoi(value);
    else if (key == "--architecture")
      a.architecture = value;
    else if (key == "--grid")
      a.grid_dir = value;
    else if (key == "--data")
      a.data = value + "/";
    else if (key == "--shard") {
      if (std::sscanf(value.c_str(), "%d/%d", &a.shard, &a.shards) != 2 || a.shard < 0 ||
          a.shard >= a.shards)
        throw std::invalid_argument("--shard " + value + ": expected i/n with 0 <= i < n");
    } else
      throw std::invalid_argument("unknown option " + key + " (see the comment in " __FILE__ ")");
  }
  return a;
}

struct Market {
  ReturnSeries series;
  TestWindow window;
};

Market load(const std::string& dir, const std::string& index, const std::string& period) {
  const PriceSeries prices = read_price_csv(dir + index + ".csv");
  Market m{simple_returns(prices.dates, prices.prices), {}};
  m.window = select_test_window(m.series, parse_period(period), 251);
  return m;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int compare(const Args& a) {
  const Market m = load(a.data, "gspc", "calm");
  MdnTrainingOptions options;
  options.max_epochs = a.epochs;
  options.patience = a.epochs + 1;  // fixed epoch count on both sides
  options.threads = a.threads;
  std::vector<uint64_t> seeds;
  for (int s = 0; s < a.seeds; ++s) seeds.push_back(static_cast<uint64_t>(s));
  const auto start = std::chrono::steady_clock::now();
  const auto results =
      train_mdn_ensemble(m.series.returns, m.series.dates, m.window.first, m.window.last,
                         mdn_architecture(a.architecture), seeds, options);
  const double cpp_wall = seconds_since(start);
  double cpp_loss = 0;
  for (const auto& r : results) cpp_loss += r.train_loss.back() / results.size();

  const std::string source = __FILE__;
  const std::string script = source.substr(0, source.rfind('/')) + "/mdn_reference.py";
  const std::string command = "OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 /usr/bin/python3 " + script +
                              " --prices " + a.data + "gspc.csv --period calm --architecture " +
                              a.architecture + " --epochs " + std::to_string(a.epochs) +
                              " --patience " + std::to_string(a.epochs + 1) + " --seeds " +
                              std::to_string(a.python_seeds);
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  double py_seconds = 0, py_loss = 0;
  int py_networks = 0;
  char line[512];
  while (std::fgets(line, sizeof line, pipe)) {
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    if (tag != "network") continue;
    int seed, epochs;
    double seconds, train_loss, val_loss;
    in >> seed >> epochs >> seconds >> train_loss >> val_loss;
    py_seconds += seconds, py_loss += train_loss, ++py_networks;
  }
  if (pclose(pipe) != 0 || py_networks == 0)
    throw std::runtime_error("reference failed: " + command);
  py_seconds /= py_networks, py_loss /= py_networks;
  const double cpp_network = cpp_wall / a.seeds;
  std::printf("gspc calm %s, %d epochs, batch 32, 1 thread each\n", a.architecture.c_str(),
              a.epochs);
  std::printf("%-34s %12s %12s %12s\n", "", "s/network", "s/epoch", "final loss");
  std::printf("%-34s %12.3f %12.4f %12.6f\n",
              ("C++ ensemble (" + std::to_string(a.seeds) + " seeds)").c_str(), cpp_network,
              cpp_network / a.epochs, cpp_loss);
  std::printf("%-34s %12.3f %12.4f %12.6f\n",
              ("PyTorch loop (" + std::to_string(py_networks) + " seeds)").c_str(), py_seconds,
              py_seconds / a.epochs, py_loss);
  std::printf(
      "networks per second, C++ / PyTorch: %.1fx   (100 epochs: C++ %.1f s, PyTorch %.1f s per "
      "network)\n",
      py_seconds / cpp_network, cpp_network * 100 / a.epochs, py_seconds * 100 / a.epochs);
  std::printf("final training loss difference: %.2f%%\n",
              100 * std::abs(cpp_loss - py_loss) / std::abs(py_loss));
  return 0;
}

// Thesis hits at 99% (study table): index -> period -> {mdn2, mdn2reg, mdn3}.
const std::map<std::string, std::map<std::string, std::vector<int>>> kThesisHits = {
    {"ftse", {{"calm", {0, 7, 2}}, {"covid", {5, 3, 8}}}},
    {"gspc", {{"calm", {12, 4, 2}}, {"covid", {8, 10, 0}}}},
    {"stoxx50e", {{"calm", {0, 0, 0}}, {"covid", {3, 7, 3}}}}};

int grid(const Args& a) {
  const std::vector<std::string> indices{"ftse", "gspc", "stoxx50e"}, periods{"calm", "covid"},
      architectures{"mdn2", "mdn2reg", "mdn3"};
  MdnTrainingOptions options;
  options.max_epochs = a.epochs;
  options.threads = a.threads;
  std::vector<uint64_t> seeds;
  for (int s = 0; s < a.seeds; ++s) seeds.push_back(static_cast<uint64_t>(s));
  const std::string tag = std::to_string(a.shard) + "of" + std::to_string(a.shards);
  std::ofstream summary(a.grid_dir + "/summary_" + tag + ".csv");
  summary << "index,period,architecture,seed,epochs,hits_0.01,test_days,final_train_loss,"
             "nonfinite_loss,collapsed,train_seconds,failure\n";
  const auto start = std::chrono::steady_clock::now();
  int group = -1;
  for (const auto& index : indices)
    for (const auto& period : periods) {
      const Market m = load(a.data, index, period);
      for (size_t ai = 0; ai < architectures.size(); ++ai) {
        if (++group % a.shards != a.shard) continue;
        const auto& arch = architectures[ai];
        const auto group_start = std::chrono::steady_clock::now();
        const auto results =
            train_mdn_ensemble(m.series.returns, m.series.dates, m.window.first, m.window.last,
                               mdn_architecture(arch), seeds, options);
        const std::string name = index + "_" + period + "_" + arch;
        std::ofstream days(a.grid_dir + "/" + name + ".csv"),
            history(a.grid_dir + "/history_" + name + ".csv");
        days.precision(17), history.precision(17), summary.precision(10);
        const size_t K = static_cast<size_t>(results[0].components), T = m.window.size();
        days << "seed,day,date,loss";
        for (const char* p : {"mu", "sigma", "pi"})
          for (size_t k = 1; k <= K; ++k) days << "," << p << k;
        days << ",var_0.01,hit_0.01\n";
        history << "seed,epoch,train_loss,val_loss\n";
        std::vector<double> hits;
        for (const auto& r : results) {
          const auto var = mixture_var(r.mu, r.sigma, r.pi, K, 0.01);
          int count = 0;
          for (size_t d = 0; d < T; ++d) {
            const double loss = -m.series.returns[m.window.first + d];
            const bool hit = loss >= var[d];
            count += hit;
            days << r.seed << "," << d << "," << m.series.dates[m.window.first + d] << "," << loss;
            for (const auto* v : {&r.mu, &r.sigma, &r.pi})
              for (size_t k = 0; k < K; ++k) days << "," << (*v)[d * K + k];
            days << "," << var[d] << "," << hit << "\n";
          }
          for (size_t e = 0; e < r.epoch.size(); ++e)
            history << r.seed << "," << r.epoch[e] << "," << r.train_loss[e] << "," << r.val_loss[e]
                    << "\n";
          summary << index << "," << period << "," << arch << "," << r.seed << ","
                  << r.epochs_trained << "," << count << "," << T << "," << r.train_loss.back()
                  << "," << r.nonfinite_loss << "," << r.collapsed << "," << r.train_seconds
                  << ",\"" << r.failure << "\"\n";
          hits.push_back(count);
        }
        double mean = 0, sd = 0, epochs = 0;
        int flagged = 0;
        for (double h : hits) mean += h / hits.size();
        for (double h : hits) sd += (h - mean) * (h - mean) / (hits.size() - 1);
        for (const auto& r : results)
          epochs += double(r.epochs_trained) / results.size(), flagged += !r.failure.empty();
        std::printf(
            "%-9s %-6s %-8s hits mean %5.2f sd %5.2f (thesis %2d)  epochs %5.1f  flagged %d  %6.1f "
            "s\n",
            index.c_str(), period.c_str(), arch.c_str(), mean, std::sqrt(sd),
            kThesisHits.at(index).at(period)[ai], epochs, flagged, seconds_since(group_start));
        std::fflush(stdout);
      }
    }
  std::printf("shard %s wall %.1f s\n", tag.c_str(), seconds_since(start));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args a = parse(argc, argv);
    return a.grid_dir.empty() ? compare(a) : grid(a);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mdn_vs_pytorch: %s\n", e.what());
    return 2;
  }
}
