#pragma once
// VaR tail levels as they travel in task parameters ("0.01,0.05") and in dataset names.
#include <string>
#include <vector>

#include "pipeline/task.h"

namespace riskstep {

// Accepts a number or a comma-separated list; each level must lie in (0, 0.5).
std::vector<double> parse_levels(const std::string& text);
std::vector<double> task_levels(const Task& task);  // parameter `levels`, default "0.01"
std::string format_level(double level);             // 0.01 -> "0.01", 0.025 -> "0.025"

}  // namespace riskstep
