#include "stats/acerbi_szekely.h"

#include <stdexcept>
#include <string>

namespace riskstep {

double acerbi_szekely_z2(const std::vector<double>& losses, const std::vector<double>& var,
                         const std::vector<double>& es, double p) {
  if (var.size() != losses.size() || es.size() != losses.size())
    throw std::invalid_argument("Acerbi-Szekely Z2 needs one VaR and one ES per loss");
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("Z2 needs p in (0, 1)");
  if (losses.empty()) return 0.0;
  double sum = 0.0;
  for (size_t t = 0; t < losses.size(); ++t) {
    if (!(es[t] > 0.0))
      throw std::invalid_argument("Z2 needs ES > 0, day " + std::to_string(t) + " has " +
                                  std::to_string(es[t]));
    if (losses[t] >= var[t]) sum += losses[t] / es[t];
  }
  return sum / (static_cast<double>(losses.size()) * p) - 1.0;
}

SimulatedTestResult acerbi_szekely_test(const std::vector<double>& losses,
                                        const std::vector<double>& var,
                                        const std::vector<double>& es, double p,
                                        const std::vector<LossSampler>& samplers,
                                        const MonteCarloOptions& options) {
  if (samplers.size() != losses.size())
    throw std::invalid_argument("Acerbi-Szekely test needs one sampler per day");
  if (options.simulations < 0) throw std::invalid_argument("negative number of simulations");
  SimulatedTestResult result;
  result.statistic = acerbi_szekely_z2(losses, var, es, p);
  result.simulations = options.simulations;
  std::mt19937_64 rng(options.seed);
  std::vector<double> simulated(static_cast<size_t>(options.simulations));
  std::vector<double> drawn(losses.size());
  for (double& z2 : simulated) {
    for (size_t t = 0; t < drawn.size(); ++t) drawn[t] = samplers[t](rng);
    z2 = acerbi_szekely_z2(drawn, var, es, p);
  }
  result.p_value = monte_carlo_p_value(result.statistic, simulated);
  return result;
}

}  // namespace riskstep
