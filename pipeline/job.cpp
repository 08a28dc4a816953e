#include "pipeline/job.h"

#include <stdexcept>

namespace riskstep {

void JobRegistry::add(const std::string& kind, JobFactory factory) {
  factories_[kind] = std::move(factory);
}

bool JobRegistry::has(const std::string& kind) const { return factories_.count(kind) > 0; }

std::unique_ptr<Job> JobRegistry::make(const std::string& kind) const {
  auto it = factories_.find(kind);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& [name, factory] : factories_) known += (known.empty() ? "" : ", ") + name;
    throw std::invalid_argument("unknown job kind '" + kind + "' (known: " + known + ")");
  }
  return it->second();
}

}  // namespace riskstep
