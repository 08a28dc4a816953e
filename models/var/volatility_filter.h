#pragma once
// The volatility a series is standardised by before a network models it (backtest setting
// mdn_filter): sigma_t for every return index t, from returns before t only.
//   ewma   the RiskMetrics recursion of models/var/ewma.h (defined from t = 30 on)
//   garch  the one-day forecast of the GARCH(1,1) fitted on the `window` returns before t, as the
//          garch model refits it every day (defined from t = window on)
#include <cstddef>
#include <vector>

#include "models/var/garch.h"

namespace riskstep {

enum class VolatilityFilter { none, ewma, garch };
VolatilityFilter parse_volatility_filter(const std::string& name);  // none | ewma | garch

struct FilteredSigma {
  std::vector<double> sigma;  // per return index; NaN before `first`
  size_t first = 0;           // the first index with a sigma
};

// Throws std::invalid_argument for `none`, a series too short to start the filter, or (garch) an
// `automatic` distribution.
FilteredSigma filter_sigma(const std::vector<double>& returns, VolatilityFilter filter,
                           double ewma_lambda, const GarchOptions& garch);

}  // namespace riskstep
