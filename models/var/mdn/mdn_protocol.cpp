#include "models/var/mdn/mdn_protocol.h"

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace riskstep {

namespace {

size_t first_index_on_or_after(const std::vector<std::string>& dates, const std::string& date) {
  return size_t(std::lower_bound(dates.begin(), dates.end(), date) - dates.begin());
}

std::string years_before(const std::string& iso_date, double years) {
  using namespace boost::gregorian;
  const date day = from_simple_string(iso_date);
  return to_iso_extended_string(day - days(long(std::lround(years * 365.25))));
}

// Earliest return fit `fit` may train on, the fit forecasting from test day `from`.
size_t history_first(const MdnProtocol& protocol, const std::vector<std::string>& dates,
                     size_t from, size_t first_fit_from, size_t& first_fit_history) {
  const size_t start =
      protocol.train_start.empty() ? 0 : first_index_on_or_after(dates, protocol.train_start);
  size_t history = start;
  if (protocol.train_years > 0)
    history = std::max(
        start, first_index_on_or_after(dates, years_before(dates[from], protocol.train_years)));
  else if (protocol.rolling && from != first_fit_from)
    history = from - (first_fit_from - first_fit_history);
  if (from == first_fit_from) first_fit_history = history;
  return history;
}

void append(MdnMemberResult& all, MdnMemberResult&& part, int fit) {
  const auto extend = [](auto& into, const auto& more) {
    into.insert(into.end(), more.begin(), more.end());
  };
  extend(all.mu, part.mu);
  extend(all.sigma, part.sigma);
  extend(all.pi, part.pi);
  extend(all.epoch, part.epoch);
  extend(all.train_loss, part.train_loss);
  extend(all.val_loss, part.val_loss);
  all.fit.insert(all.fit.end(), part.epoch.size(), fit);
  extend(all.best_epoch, part.best_epoch);
  extend(all.train_scale, part.train_scale);
  extend(all.last_target, part.last_target);
  all.epochs_trained += part.epochs_trained;
  all.train_seconds += part.train_seconds;
  all.nonfinite_loss = all.nonfinite_loss || part.nonfinite_loss;
  if (!part.failure.empty() && part.nonfinite_loss)
    all.failure = "fit " + std::to_string(fit) + ": " + part.failure;
  all.final_parameters = std::move(part.final_parameters);
  all.fits = fit + 1;
}

}  // namespace

std::string MdnProtocol::describe() const {
  std::string text =
      refit_days > 0 ? "refit every " + std::to_string(refit_days) + " days" : "once";
  if (train_years > 0) {  // the window is then the last N years at every fit: rolling
    std::ostringstream years;
    years << train_years;
    text += ", last " + years.str() + " years";
  } else {
    text += refit_days > 0 && rolling ? ", rolling" : ", all history";
  }
  if (!train_start.empty()) text += " from " + train_start;
  if (refit_days > 0) text += warm_start ? ", warm" : ", fresh";
  return text;
}

std::vector<MdnMemberResult> forecast_mdn(const std::vector<double>& returns,
                                          const std::vector<std::string>& return_dates,
                                          size_t test_first, size_t test_last,
                                          const MdnArchitecture& architecture,
                                          const std::vector<uint64_t>& seeds,
                                          const MdnTrainingOptions& options,
                                          const MdnProtocol& protocol) {
  if (protocol.is_study())
    return train_mdn_ensemble(returns, return_dates, test_first, test_last, architecture, seeds,
                              options);
  if (protocol.refit_days < 0 || protocol.train_years < 0)
    throw std::invalid_argument("MDN protocol: refit_days and train_years must be >= 0");
  std::vector<MdnMemberResult> all(seeds.size());
  size_t first_fit_history = 0;
  const size_t step =
      protocol.refit_days > 0 ? size_t(protocol.refit_days) : test_last - test_first;
  int fit = 0;
  for (size_t from = test_first; from < test_last; from += step, ++fit) {
    MdnFitWindow window;
    window.test_first = from;
    window.test_last = std::min(test_last, from + step);
    window.history_first =
        history_first(protocol, return_dates, from, test_first, first_fit_history);
    if (fit > 0 && protocol.warm_start)
      for (const auto& member : all) window.start_parameters.push_back(member.final_parameters);
    auto part = train_mdn_ensemble(returns, return_dates, window, architecture, seeds, options);
    for (size_t m = 0; m < seeds.size(); ++m) append(all[m], std::move(part[m]), fit);
  }
  for (size_t m = 0; m < seeds.size(); ++m) {  // flags over the whole test window
    MdnMemberResult& r = all[m];
    r.seed = seeds[m];
    r.components = architecture.components;
    const size_t k = size_t(r.components), days = r.pi.size() / k;
    for (size_t c = 0; c < k && !r.collapsed; ++c) {
      bool below = true;
      for (size_t d = 0; d < days && below; ++d) below = r.pi[d * k + c] < 1e-3;
      r.collapsed = below;
    }
    if (r.collapsed && r.failure.empty())
      r.failure = "collapsed mixture: a component weight stays below 0.001 on every test day";
  }
  return all;
}

}  // namespace riskstep
