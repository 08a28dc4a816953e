#include "data/market/synthetic_market.h"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cctype>
#include <cmath>
#include <random>
#include <stdexcept>

namespace riskstep {
namespace {

using boost::gregorian::date;

date parse_date(const std::string& field, const std::string& text) {
  const std::string error = "synthetic market: " + field + " = '" + text +
                            "' is not a valid calendar date; expected YYYY-MM-DD";
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') throw std::invalid_argument(error);
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) throw std::invalid_argument(error);
  try {
    return date(std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)),
                std::stoi(text.substr(8, 2)));
  } catch (const std::out_of_range&) {  // boost's bad_year/bad_month/bad_day_of_month
    throw std::invalid_argument(error);
  }
}

std::vector<std::string> business_days(const date& first, const date& last) {
  std::vector<std::string> days;
  for (boost::gregorian::day_iterator day(first); *day <= last; ++day) {
    const auto weekday = day->day_of_week().as_number();  // 0 = Sunday, 6 = Saturday
    if (weekday != 0 && weekday != 6)
      days.push_back(boost::gregorian::to_iso_extended_string(*day));
  }
  return days;
}

// A uniform on the open interval (0, 1) from the top 53 bits: the same on every platform, and
// never 0 or 1, so the inverse CDF stays finite.
double open_uniform(std::mt19937_64& engine) {
  return (static_cast<double>(engine() >> 11) + 0.5) * 0x1.0p-53;
}

double unconditional_variance(const GarchRegime& regime) {
  return regime.omega / (1.0 - regime.alpha - regime.beta);
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("synthetic market: " + what);
}

void validate_regime(const GarchRegime& regime, const std::string& name) {
  require(regime.omega > 0.0 && std::isfinite(regime.omega), name + ".omega must be > 0");
  require(regime.alpha >= 0.0 && regime.beta >= 0.0, name + ".alpha and .beta must be >= 0");
  require(regime.alpha + regime.beta < 1.0, name + ".alpha + .beta must be < 1");
}

// Probability of the turbulent regime in the chain's stationary distribution; a chain that never
// switches stays in the calm regime it starts in.
double stationary_turbulent_share(const SyntheticMarketParams& params) {
  const double switching = params.to_turbulent + params.to_calm;
  return switching > 0.0 ? params.to_turbulent / switching : 0.0;
}

}  // namespace

void validate(const SyntheticMarketParams& params) {
  const date first = parse_date("first_date", params.first_date);
  const date last = parse_date("last_date", params.last_date);
  require(first <= last, "first_date must not be after last_date");
  require(params.initial_price > 0.0 && std::isfinite(params.initial_price),
          "initial_price must be positive and finite");
  require(std::isfinite(params.mean_log_return), "mean_log_return must be finite");
  require(params.student_t_dof > 2.0, "student_t_dof must be > 2 (finite variance)");
  validate_regime(params.calm, "calm");
  validate_regime(params.turbulent, "turbulent");
  require(params.to_turbulent >= 0.0 && params.to_turbulent <= 1.0,
          "to_turbulent must be in [0, 1]");
  require(params.to_calm >= 0.0 && params.to_calm <= 1.0, "to_calm must be in [0, 1]");
}

SyntheticMarket generate_synthetic_market(const SyntheticMarketParams& params, std::uint64_t seed) {
  validate(params);
  SyntheticMarket market;
  market.dates = business_days(parse_date("first_date", params.first_date),
                               parse_date("last_date", params.last_date));
  require(!market.dates.empty(), "no business day between first_date and last_date");
  const size_t days = market.dates.size();

  std::mt19937_64 engine(seed);
  const boost::math::students_t_distribution<double> student_t(params.student_t_dof);
  const double unit_variance_scale = std::sqrt((params.student_t_dof - 2.0) / params.student_t_dof);
  const GarchRegime* regimes[2] = {&params.calm, &params.turbulent};

  int regime = open_uniform(engine) < stationary_turbulent_share(params) ? 1 : 0;
  double variance = unconditional_variance(*regimes[regime]);
  double previous_shock2 = variance;  // its expectation: no shock before the first day
  double price = params.initial_price;
  market.regimes.reserve(days);
  market.prices.reserve(days);
  market.regimes.push_back(regime);
  market.prices.push_back(price);
  for (size_t day = 1; day < days; ++day) {
    const double switch_probability = regime == 0 ? params.to_turbulent : params.to_calm;
    if (open_uniform(engine) < switch_probability) regime = 1 - regime;
    const GarchRegime& garch = *regimes[regime];
    variance = garch.omega + garch.alpha * previous_shock2 + garch.beta * variance;
    const double sd = std::sqrt(variance);
    const double shock = sd * unit_variance_scale * quantile(student_t, open_uniform(engine));
    const double log_return = params.mean_log_return + shock;
    price *= std::exp(log_return);
    previous_shock2 = shock * shock;
    market.regimes.push_back(regime);
    market.prices.push_back(price);
    market.log_returns.push_back(log_return);
    market.conditional_sd.push_back(sd);
  }
  return market;
}

double stationary_log_return_variance(const SyntheticMarketParams& params) {
  validate(params);
  const double pi1 = stationary_turbulent_share(params), pi0 = 1.0 - pi1;
  const double p01 = params.to_turbulent, p00 = 1.0 - p01;
  const double p10 = params.to_calm, p11 = 1.0 - p10;
  const double c0 = params.calm.alpha + params.calm.beta;
  const double c1 = params.turbulent.alpha + params.turbulent.beta;
  // (1 - c0 p00) m0 - c0 p10 m1 = pi0 omega0;  -c1 p01 m0 + (1 - c1 p11) m1 = pi1 omega1.
  const double a = 1.0 - c0 * p00, b = -c0 * p10, c = -c1 * p01, d = 1.0 - c1 * p11;
  const double r0 = pi0 * params.calm.omega, r1 = pi1 * params.turbulent.omega;
  const double determinant = a * d - b * c;
  const double m0 = (r0 * d - b * r1) / determinant;
  const double m1 = (a * r1 - c * r0) / determinant;
  return m0 + m1;
}

}  // namespace riskstep
