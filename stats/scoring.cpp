#include "stats/scoring.h"

#include <cmath>
#include <stdexcept>

namespace riskstep {

namespace {
void require(size_t a, size_t b, double p) {
  if (a != b) throw std::invalid_argument("scores: series of different lengths");
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("scores: p must be in (0, 1)");
}
}  // namespace

std::vector<double> tick_losses(const std::vector<double>& losses, const std::vector<double>& var,
                                double p) {
  require(losses.size(), var.size(), p);
  std::vector<double> score(losses.size());
  for (size_t t = 0; t < losses.size(); ++t)
    score[t] = (p - (losses[t] > var[t] ? 1.0 : 0.0)) * (var[t] - losses[t]);
  return score;
}

std::vector<double> fz0_losses(const std::vector<double>& losses, const std::vector<double>& var,
                               const std::vector<double>& es, double p) {
  require(losses.size(), var.size(), p);
  require(losses.size(), es.size(), p);
  std::vector<double> score(losses.size());
  for (size_t t = 0; t < losses.size(); ++t) {
    if (!(es[t] > 0.0)) {
      score[t] = kFz0Penalty;
      continue;
    }
    const double excess = losses[t] >= var[t] ? losses[t] - var[t] : 0.0;
    score[t] = excess / (p * es[t]) + var[t] / es[t] + std::log(es[t]) - 1.0;
  }
  return score;
}

}  // namespace riskstep
