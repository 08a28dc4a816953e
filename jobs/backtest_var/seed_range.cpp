#include "jobs/backtest_var/seed_range.h"

#include <sstream>
#include <stdexcept>

namespace riskstep {
namespace {
constexpr int64_t kMaxSeeds = 100000;

int64_t parse_seed(const std::string& text, const std::string& item) {
  size_t used = 0;
  int64_t value = -1;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || value < 0)
    throw std::invalid_argument("seeds: '" + item + "' is not a seed, a range a-b or a list");
  return value;
}
}  // namespace

std::vector<int64_t> parse_seed_list(const std::string& text) {
  std::vector<int64_t> seeds;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    const size_t dash = item.find('-', 1);
    if (dash == std::string::npos) {
      seeds.push_back(parse_seed(item, item));
      continue;
    }
    const int64_t first = parse_seed(item.substr(0, dash), item);
    const int64_t last = parse_seed(item.substr(dash + 1), item);
    if (last < first) throw std::invalid_argument("seeds: range '" + item + "' runs backwards");
    if (int64_t(seeds.size()) + (last - first) >= kMaxSeeds)
      throw std::invalid_argument("seeds: more than " + std::to_string(kMaxSeeds) +
                                  " seeds; a sweep over that many tasks wants a spec file");
    for (int64_t seed = first; seed <= last; ++seed) seeds.push_back(seed);
  }
  if (seeds.empty()) throw std::invalid_argument("seeds: expected e.g. 0-9, got '" + text + "'");
  return seeds;
}

}  // namespace riskstep
