#include "stats/traffic_light.h"

#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <stdexcept>

namespace riskstep {

std::string basel_traffic_light(int64_t exceptions, int64_t days, double level) {
  if (exceptions < 0 || exceptions > days)
    throw std::invalid_argument("traffic light needs 0 <= exceptions <= days");
  if (std::fabs(level - 0.01) > 1e-12 || days == 0) return "n/a";
  const double cumulative = boost::math::cdf(boost::math::binomial(static_cast<double>(days), 0.01),
                                             static_cast<double>(exceptions));
  if (cumulative < 0.95) return "green";
  if (cumulative < 0.9999) return "yellow";
  return "red";
}

}  // namespace riskstep
