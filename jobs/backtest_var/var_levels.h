#pragma once
// VaR tail levels as they travel in task parameters ("0.01,0.05") and in dataset names.
#include <string>
#include <vector>

namespace riskstep {

// A comma-separated list of distinct tail probabilities, each in (0, 0.5); throws naming the
// bad item.
std::vector<double> parse_levels(const std::string& text);
std::string format_level(double level);  // 0.01 -> "0.01", 0.025 -> "0.025"

}  // namespace riskstep
