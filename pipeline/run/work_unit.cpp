#include "pipeline/run/work_unit.h"

#include <unistd.h>

#include <chrono>
#include <map>

#include "pipeline/core/printable.h"

namespace riskstep {

namespace {

TaskOutcome outcome_of(const std::exception_ptr& thrown) {
  TaskOutcome outcome;
  try {
    std::rethrow_exception(thrown);
  } catch (const TaskStopped& stop) {
    outcome.error = stop.what();
    outcome.stopped = true;
  } catch (const std::exception& error) {
    outcome.error = error.what();
  } catch (...) {
    outcome.error = "unknown exception";
  }
  return outcome;
}

std::vector<TaskOutcome> run_outcomes(Job& job, const std::vector<Task>& tasks,
                                      const TaskContext& context) {
  try {
    if (tasks.size() == 1) return {TaskOutcome{job.run(tasks.front(), context), "", false}};
    std::vector<TaskOutcome> outcomes = job.run_batch(tasks, context);
    if (outcomes.size() == tasks.size()) return outcomes;
    const std::string error = "run_batch returned " + std::to_string(outcomes.size()) +
                              " outcomes for " + std::to_string(tasks.size()) + " tasks";
    return std::vector<TaskOutcome>(tasks.size(), TaskOutcome{Result{}, error, false});
  } catch (...) {
    return std::vector<TaskOutcome>(tasks.size(), outcome_of(std::current_exception()));
  }
}

std::string host_name() {
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 ? name : "unknown";
}

}  // namespace

std::vector<std::vector<size_t>> group_work_units(const Job& job, const std::vector<Task>& tasks,
                                                  const std::vector<size_t>& indices) {
  return group_work_units(
      job, [&](size_t index) { return tasks[index]; }, indices);
}

std::vector<std::vector<size_t>> group_work_units(const Job& job,
                                                  const std::function<Task(size_t)>& task_at,
                                                  const std::vector<size_t>& indices) {
  std::vector<std::vector<size_t>> units;
  std::map<std::string, size_t> unit_of_key;
  for (size_t index : indices) {
    const Task task = task_at(index);
    const std::string key = job.batch_key(task);
    if (key.empty()) {
      units.push_back({index});
      continue;
    }
    const auto [it, inserted] =
        unit_of_key.emplace(key + "\n" + std::to_string(task.ranks), units.size());
    if (inserted) units.emplace_back();
    units[it->second].push_back(index);
  }
  return units;
}

std::vector<TaskRecord> run_work_unit(Job& job, const std::vector<Task>& tasks,
                                      const TaskContext& context, int world_rank) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<TaskOutcome> outcomes = run_outcomes(job, tasks, context);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  static const std::string host = host_name();
  std::vector<TaskRecord> records(tasks.size());
  for (size_t k = 0; k < tasks.size(); ++k) {
    TaskRecord& record = records[k];
    record.task = tasks[k];
    record.rank = world_rank;
    record.host = host;
    record.wall_seconds = wall / static_cast<double>(tasks.size());
    record.error = printable(outcomes[k].error);  // stored and shown: one bounded line
    if (!outcomes[k].stopped && record.error.empty() && !all_finite(outcomes[k].result))
      record.error = "the result holds non-finite values (NaN or Inf)";
    if (outcomes[k].stopped)
      record.status = "stopped";
    else if (!record.error.empty())
      record.status = "failed";
    if (record.status == "ok") record.result = std::move(outcomes[k].result);
  }
  return records;
}

}  // namespace riskstep
