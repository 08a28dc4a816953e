#pragma once
// Filtered historical simulation (Barone-Adesi, Giannopoulos and Vosper 1999; Hull and White
// 1998): the window's returns before test day t are standardised by a volatility filter,
// z_s = r_s / s_s, and VaR_t = -s_t Q_p(z), Q_p the type-7 quantile of historical simulation.
// Filters: EWMA (models/var/ewma.h; s_s from returns before s), or the GARCH(1,1) refitted every
// day on the window (models/var/garch.h; its in-sample s_s, and s_t its forecast).
#include <cstddef>
#include <vector>

#include "models/var/forecast.h"
#include "models/var/garch.h"

namespace riskstep {

enum class FhsFilter { ewma, garch };
FhsFilter parse_fhs_filter(const std::string& name);  // "ewma" | "garch"

struct FhsOptions {
  FhsFilter filter = FhsFilter::ewma;
  size_t window = 251;
  double ewma_lambda = 0.94;
  GarchOptions garch;  // the GARCH filter (its window is `window`)
};

// Series "sigma"; `residuals` holds each day's z.
VarForecast forecast_filtered_hs(const std::vector<double>& returns, size_t first, size_t last,
                                 const std::vector<double>& levels, const FhsOptions& options);

}  // namespace riskstep
