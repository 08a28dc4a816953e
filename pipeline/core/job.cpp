#include "pipeline/core/job.h"

namespace riskstep {

std::vector<TaskOutcome> Job::run_batch(const std::vector<Task>& tasks,
                                        const TaskContext& context) {
  std::vector<TaskOutcome> outcomes(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    try {
      outcomes[i].result = run(tasks[i], context);
    } catch (const TaskStopped& stop) {
      outcomes[i].error = stop.what();
      outcomes[i].stopped = true;
    } catch (const std::exception& error) {
      outcomes[i].error = error.what();
    }
  }
  return outcomes;
}

void JobRegistry::add(JobKind kind) {
  const std::string name = kind.name;
  if (!kinds_.emplace(name, std::move(kind)).second)
    throw std::logic_error("job kind '" + name + "' registered twice");
}

bool JobRegistry::has(const std::string& name) const {
  return kinds_.count(name) > 0;
}

const JobKind& JobRegistry::kind(const std::string& name) const {
  auto it = kinds_.find(name);
  if (it == kinds_.end()) {
    std::string known;
    for (const auto& [known_name, kind] : kinds_) known += (known.empty() ? "" : ", ") + known_name;
    throw std::invalid_argument("unknown job kind '" + name + "' (known: " + known + ")" +
                                did_you_mean(name, names()));
  }
  return it->second;
}

std::unique_ptr<Job> JobRegistry::make(const std::string& name) const {
  return kind(name).make();
}

std::vector<std::string> JobRegistry::names() const {
  std::vector<std::string> names;
  for (const auto& [name, kind] : kinds_) names.push_back(name);
  return names;
}

}  // namespace riskstep
