#pragma once
// Seed lists on the command line: "0-9", "1,4,7" or a mix ("0-2,10").
#include <cstdint>
#include <string>
#include <vector>

namespace riskstep {

std::vector<int64_t> parse_seed_list(const std::string& text);  // throws naming the bad item

}  // namespace riskstep
