#include "jobs/backtest_var/var_levels.h"

#include <cstdio>

namespace riskstep {

std::string format_level(double level) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", level);
  return text;
}

}  // namespace riskstep
