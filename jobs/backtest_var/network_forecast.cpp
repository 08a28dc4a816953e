#include "jobs/backtest_var/network_forecast.h"

#include <map>
#include <mutex>

#include "models/var/mdn/mdn_protocol.h"
#include "models/var/volatility_filter.h"
#include "pipeline/core/task.h"

namespace riskstep {

namespace {

GarchOptions filter_garch(const BacktestSettings& s) {
  GarchOptions options;
  options.distribution = parse_garch_distribution(s.garch_dist);
  options.window = static_cast<size_t>(s.window);
  options.fit = garch_fit(s);
  return options;
}

// One filter per series and settings per process: the ensembles of mdn2, mdn2reg and mdn3 on one
// index share it (a GARCH filter is a fit per day of the series).
FilteredSigma cached_filter(const BacktestInput& input) {
  const BacktestSettings& s = input.settings;
  static std::mutex mutex;
  static std::map<std::string, FilteredSigma> cache;
  const std::string key = input.market.source + "\n" + s.price_column + "\n" + s.mdn_filter + "\n" +
                          canonical_text(s.ewma_lambda) + "\n" + s.garch_dist + "\n" +
                          s.garch_kind + "\n" + s.garch_start + "\n" + std::to_string(s.window);
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(key);
  if (it == cache.end())
    it = cache
             .emplace(key, filter_sigma(input.market.returns.returns,
                                        parse_volatility_filter(s.mdn_filter), s.ewma_lambda,
                                        filter_garch(s)))
             .first;
  return it->second;
}

// The ensemble on z_t = r_t / sigma_t from the filter's first day on; mixtures scaled back.
std::vector<MdnMemberResult> filtered_forecast(const BacktestInput& input,
                                               const std::vector<uint64_t>& seeds) {
  const FilteredSigma filtered = cached_filter(input);
  const ReturnSeries& series = input.market.returns;
  const size_t start = filtered.first;
  if (input.window.first < start)
    throw std::invalid_argument("mdn_filter: the filter starts at return " + std::to_string(start) +
                                ", after the first test day");
  std::vector<double> z;
  for (size_t t = start; t < series.returns.size(); ++t)
    z.push_back(series.returns[t] / filtered.sigma[t]);
  const std::vector<std::string> dates(series.dates.begin() + start, series.dates.end());
  std::vector<MdnMemberResult> members =
      forecast_mdn(z, dates, input.window.first - start, input.window.last - start,
                   task_architecture(input.settings), seeds, mdn_training_options(input.settings),
                   mdn_protocol(input.settings));
  for (MdnMemberResult& member : members) {
    for (int64_t& index : member.last_target) index += static_cast<int64_t>(start);
    const size_t k = size_t(member.components);
    for (size_t day = 0; day < input.window.size(); ++day) {
      const double sigma = filtered.sigma[input.window.first + day];
      for (size_t c = 0; c < k; ++c) {
        member.mu[day * k + c] *= sigma;
        member.sigma[day * k + c] *= sigma;
      }
    }
  }
  return members;
}

}  // namespace

MdnArchitecture task_architecture(const BacktestSettings& s) {
  MdnArchitecture architecture = mdn_architecture(s.model);
  architecture.activation = s.activation;
  architecture.lags = static_cast<int>(s.lags);
  return architecture;
}

MdnTrainingOptions mdn_training_options(const BacktestSettings& s) {
  MdnTrainingOptions options;
  options.max_epochs = static_cast<int>(s.max_epochs);
  options.patience = static_cast<int>(s.patience);
  options.batch_size = static_cast<int>(s.batch_size);
  options.validation = parse_mdn_validation(s.mdn_validation);
  options.scale_by_train_sd = s.mdn_scale == "train_sd";
  return options;
}

std::string network_protocol(const BacktestSettings& s) {
  std::string text = mdn_protocol(s).describe();
  if (s.mdn_filter != "none") text += ", " + s.mdn_filter + "-filtered";
  if (s.mdn_scale == "train_sd") text += ", scaled by the training sd";
  if (s.mdn_validation == "early_stop") text += ", early stopping";
  if (s.mdn_validation == "none") text += ", no validation block";
  if (s.lags != BacktestSettings{}.lags) text += ", " + std::to_string(s.lags) + " lags";
  return text;
}

std::vector<MdnMemberResult> forecast_networks(const BacktestInput& input,
                                               const std::vector<uint64_t>& seeds) {
  if (input.settings.mdn_filter != "none") return filtered_forecast(input, seeds);
  return forecast_mdn(input.market.returns.returns, input.market.returns.dates, input.window.first,
                      input.window.last, task_architecture(input.settings), seeds,
                      mdn_training_options(input.settings), mdn_protocol(input.settings));
}

}  // namespace riskstep
