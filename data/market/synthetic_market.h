#pragma once
// A seeded synthetic equity index, so demos and tests need no outside data.
//
// Log returns follow a GARCH(1,1) whose parameters switch with a two-state Markov regime
// (0 = calm, 1 = turbulent), with unit-variance Student-t innovations:
//   S_t      ~ Markov chain: P(calm -> turbulent) = to_turbulent, P(turbulent -> calm) = to_calm
//   s2_t     = omega[S_t] + alpha[S_t] * e_{t-1}^2 + beta[S_t] * s2_{t-1}
//   e_t      = s_t * z_t,   z_t = t_nu * sqrt((nu - 2) / nu)   (so Var z = 1)
//   r_t      = mean_log_return + e_t,   P_t = P_{t-1} * exp(r_t)   (prices stay positive)
// Prices are dated on business days (Mon-Fri, no holidays) from first_date to last_date.
// Deterministic for a seed on every platform with the same Boost: uniforms come from
// std::mt19937_64 by an explicit bit transform and t draws by the Boost.Math inverse CDF
// (std:: distributions are implementation-defined and differ between standard libraries).
#include <cstdint>
#include <string>
#include <vector>

namespace riskstep {

struct GarchRegime {
  double omega = 0.0, alpha = 0.0, beta = 0.0;  // omega > 0, alpha, beta >= 0, alpha + beta < 1
};

struct SyntheticMarketParams {
  std::string first_date = "2010-01-04";  // first business day priced (a Monday)
  std::string last_date = "2022-12-30";   // covers history + test periods calm and covid
  double initial_price = 1000.0;          // price on first_date
  double mean_log_return = 2e-4;          // daily drift, about 5% a year
  double student_t_dof = 5.0;             // nu > 2: tail heaviness of the innovations
  // Calm: unconditional daily sd 0.8% (3.2e-6 / 0.05 = 6.4e-5), persistence 0.95.
  GarchRegime calm{3.2e-6, 0.05, 0.90};
  // Turbulent: unconditional daily sd 2.5% (1.875e-5 / 0.03 = 6.25e-4), persistence 0.97.
  GarchRegime turbulent{1.875e-5, 0.12, 0.85};
  double to_turbulent = 0.005;  // mean calm spell 200 days
  double to_calm = 0.02;        // mean turbulent spell 50 days; 20% of days turbulent
};

struct SyntheticMarket {
  std::vector<std::string> dates;      // business days, ascending
  std::vector<double> prices;          // > 0; prices[0] = initial_price
  std::vector<int> regimes;            // regime of each day (0 calm, 1 turbulent)
  std::vector<double> log_returns;     // log_returns[i] = log(prices[i+1] / prices[i])
  std::vector<double> conditional_sd;  // s_t of each log return (same indexing)
};

// Throws std::invalid_argument naming the first parameter out of range.
void validate(const SyntheticMarketParams& params);

// The day-0 regime is drawn from the chain's stationary distribution and s2 starts at that
// regime's unconditional variance.
SyntheticMarket generate_synthetic_market(const SyntheticMarketParams& params, std::uint64_t seed);

// Exact long-run variance of the log returns, E[s2_t], from the stationary solution of
// m_j = pi_j omega_j + (alpha_j + beta_j) sum_i P(i -> j) m_i,  with m_j = E[s2_t 1{S_t = j}].
double stationary_log_return_variance(const SyntheticMarketParams& params);

}  // namespace riskstep
