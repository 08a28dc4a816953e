#include "jobs/backtest_var/var_levels.h"

#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace riskstep {

std::vector<double> parse_levels(const std::string& text) {
  std::vector<double> levels;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    size_t used = 0;
    double level = 0;
    try {
      level = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    while (used < item.size() && item[used] == ' ') ++used;
    if (used != item.size() || !(level > 0.0 && level < 0.5))
      throw std::invalid_argument("levels: '" + item + "' is not a tail probability in (0, 0.5)");
    for (double seen : levels)
      if (seen == level) throw std::invalid_argument("levels: '" + item + "' is listed twice");
    levels.push_back(level);
  }
  if (levels.empty())
    throw std::invalid_argument("levels: expected e.g. 0.01,0.05, got '" + text + "'");
  return levels;
}

std::string format_level(double level) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", level);
  return text;
}

}  // namespace riskstep
