#pragma once
// GARCH-EVT (McNeil and Frey 2000). Each test day t: a zero-mean GARCH(1,1) fitted by quasi
// maximum likelihood (normal likelihood) on the window standardises its returns, z_s = e_s / s_s
// (in-sample s_s, models/var/garch.h); a generalised Pareto distribution is fitted by maximum
// likelihood to the excesses of the k largest standardised losses -z over the (k+1)-th largest,
// u, with k = floor(tail x window); then VaR_t = s_t VaR_p and ES_t = s_t ES_p with the tail
// estimates of models/var/gpd.h (levels must be below tail).
#include <cstddef>
#include <vector>

#include "models/var/forecast.h"
#include "models/var/garch.h"
#include "models/var/gpd.h"

namespace riskstep {

struct GarchEvtOptions {
  size_t window = 251;
  double tail = 0.1;    // k = floor(tail x window) excesses
  GarchFitOptions fit;  // kind and initial variance; the likelihood is always the normal one
};

// One day's tail model of the standardised losses.
struct EvtTail {
  double threshold = 0.0;  // u
  GpdFit gpd;
  size_t n = 0, k = 0;
};

// From a window's standardised returns z: the GPD over the (k+1)-th largest loss -z.
EvtTail fit_evt_tail(const std::vector<double>& z, size_t k);

// Series: sigma, threshold, gpd_shape, gpd_scale, gpd_converged, tail_count; residuals: each
// day's z.
VarForecast forecast_garch_evt(const std::vector<double>& returns, size_t first, size_t last,
                               const std::vector<double>& levels, const GarchEvtOptions& options);

}  // namespace riskstep
