#include "pipeline/run/shard.h"

#include <algorithm>
#include <numeric>
#include <regex>
#include <stdexcept>

namespace riskstep {

Shard parse_shard(const std::string& text) {
  static const std::regex form(R"((\d{1,9})/(\d{1,9}))");
  std::smatch m;
  if (std::regex_match(text, m, form)) {
    const Shard shard{std::stoul(m[1].str()), std::stoul(m[2].str())};
    if (shard.count > 0 && shard.index < shard.count) return shard;
  }
  throw std::invalid_argument("--shard: expected i/n with 0 <= i < n (e.g. 0/4), got '" + text +
                              "'");
}

std::vector<size_t> shard_task_indices(const TaskList& tasks, const Shard& shard) {
  std::vector<size_t> by_id(tasks.size());
  std::iota(by_id.begin(), by_id.end(), size_t{0});
  // Ties (equal ids) cannot occur in a sweep; the index breaks them anyway, for determinism.
  std::sort(by_id.begin(), by_id.end(), [&](size_t a, size_t b) {
    return tasks.id_key(a) != tasks.id_key(b) ? tasks.id_key(a) < tasks.id_key(b) : a < b;
  });
  std::vector<size_t> selected;
  for (size_t position = shard.index; position < by_id.size(); position += shard.count)
    selected.push_back(by_id[position]);
  std::sort(selected.begin(), selected.end());
  return selected;
}

}  // namespace riskstep
