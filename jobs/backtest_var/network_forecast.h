#pragma once
// The networks of a backtest_var task, trained as one ensemble over its seeds under the task's
// protocol (models/var/mdn/mdn_protocol.h): optionally on returns scaled by the training block's
// sd (mdn_scale) or standardised by a volatility filter known at t - 1 (mdn_filter: the network
// models z_t = r_t / sigma_t and its mixture is scaled back by sigma_t, so VaR_t = sigma_t
// q_p(mixture) and ES likewise).
#include <cstdint>
#include <string>
#include <vector>

#include "jobs/backtest_var/backtest_input.h"
#include "models/var/mdn/mdn_ensemble.h"

namespace riskstep {

MdnArchitecture task_architecture(const BacktestSettings& settings);
MdnTrainingOptions mdn_training_options(const BacktestSettings& settings);

// "once, all history" (the thesis), or with what differs from it: "refit every 21 days, last 10
// years, warm, ewma-filtered, early stopping, 20 lags", ...
std::string network_protocol(const BacktestSettings& settings);

std::vector<MdnMemberResult> forecast_networks(const BacktestInput& input,
                                               const std::vector<uint64_t>& seeds);

}  // namespace riskstep
