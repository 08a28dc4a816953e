#pragma once
// How the networks of a backtest are trained. The study trains once, on all history before the
// test window. Beyond it: a training window that starts at a date and/or spans the last
// `train_years` years, and refits every `refit_days` test days, on an expanding window (its start
// fixed) or a rolling one (its length fixed), starting from the previous fit's weights (warm) or
// from the seed's initialisation (fresh). Each fit splits its window 90/10 as the study does
// (mdn_split.h) and forecasts the test days up to the next refit.
#include <string>
#include <vector>

#include "models/var/mdn/mdn_ensemble.h"

namespace riskstep {

struct MdnProtocol {
  std::string train_start;  // "" = the first return; else the earliest date (YYYY-MM-DD) used
  double train_years = 0;   // > 0: only returns of the last train_years years before a fit
  int refit_days = 0;       // > 0: a new fit every refit_days test days
  bool rolling = false;     // refits keep the first fit's window length (else its start)
  bool warm_start = true;   // refits start from the previous weights (else from the seed's)

  bool is_study() const { return train_start.empty() && train_years <= 0 && refit_days <= 0; }
  // "once, all history", "refit every 63 days, last 10 years, warm", "refit every 21 days,
  // rolling, fresh", ...
  std::string describe() const;
};

// The ensemble's forecasts of test days [test_first, test_last) under `protocol`: each member's
// mixtures over all test days, its training history over all fits (MdnMemberResult::fit tells
// which), flags over all fits. Equal to train_mdn_ensemble for the study's protocol.
std::vector<MdnMemberResult> forecast_mdn(const std::vector<double>& returns,
                                          const std::vector<std::string>& return_dates,
                                          size_t test_first, size_t test_last,
                                          const MdnArchitecture& architecture,
                                          const std::vector<uint64_t>& seeds,
                                          const MdnTrainingOptions& options,
                                          const MdnProtocol& protocol);

}  // namespace riskstep
