#pragma once
// Scores of VaR and ES forecasts against the realised losses L_t = -R_t (lower is better). Pass
// rates reward a conservative model; consistent scoring functions do not (Fissler and Ziegel 2016;
// Patton, Ziegel and Chen 2019):
//   tick (quantile) loss of VaR:  (p - 1{L_t > VaR_t}) (VaR_t - L_t)
//   FZ0 loss of (VaR, ES):        1{L_t >= VaR_t} (L_t - VaR_t) / (p ES_t) + VaR_t / ES_t
//                                 + log(ES_t) - 1
// (Patton et al.'s FZ0 for the return quantile v = -VaR and shortfall e = -ES, written for positive
// losses). FZ0 needs ES_t > 0: a day with ES_t <= 0 scores kFz0Penalty.
#include <vector>

namespace riskstep {

constexpr double kFz0Penalty = 1e6;

std::vector<double> tick_losses(const std::vector<double>& losses, const std::vector<double>& var,
                                double p);
std::vector<double> fz0_losses(const std::vector<double>& losses, const std::vector<double>& var,
                               const std::vector<double>& es, double p);

}  // namespace riskstep
