#include "pipeline/job.h"

#include <stdexcept>

namespace riskstep {

std::vector<TaskOutcome> Job::run_batch(const std::vector<Task>& tasks,
                                        const TaskContext& context) {
  std::vector<TaskOutcome> outcomes(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    try {
      outcomes[i].result = run(tasks[i], context);
    } catch (const std::exception& error) {
      outcomes[i].error = error.what();
    }
  }
  return outcomes;
}

void JobRegistry::add(const std::string& kind, JobFactory factory) {
  factories_[kind] = std::move(factory);
}

bool JobRegistry::has(const std::string& kind) const {
  return factories_.count(kind) > 0;
}

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
