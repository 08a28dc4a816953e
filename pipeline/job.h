#pragma once
// The contract between the engine and a study: a Job turns a Task into a Result.
// Jobs live in jobs/; the engine only knows this interface.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/result.h"
#include "pipeline/task.h"

namespace riskstep {

class Communicator;  // pipeline/communicator.h; the task's group of ranks

struct TaskContext {
  int rank_in_group = 0;
  int group_size = 1;
  Communicator* group = nullptr;  // null when the task runs on one rank without MPI
  std::string checkpoint_dir;     // where a long task may keep resumable state ("" = none)
  std::function<void(const std::string&)> log;  // progress lines for long tasks
};

struct TaskOutcome {
  Result result;
  std::string error;  // non-empty: the task failed, with this message
};

class Job {
 public:
  virtual ~Job() = default;
  // Throws on failure; the engine records the message and carries on with other tasks.
  virtual Result run(const Task& task, const TaskContext& context) = 0;
  // Called for every task before a sweep starts, so bad parameters fail before any work.
  virtual void validate(const Task& /*task*/) const {}
  // Tasks with the same non-empty batch key may be handed to run_batch together (e.g. network
  // seeds trained as one batched ensemble). Each keeps its own Result, which must equal what
  // run() gives for that task alone, so results never depend on how tasks were grouped.
  virtual std::string batch_key(const Task& /*task*/) const { return ""; }
  // One outcome per task, in order; the default runs them one by one.
  virtual std::vector<TaskOutcome> run_batch(const std::vector<Task>& tasks,
                                             const TaskContext& context);
  // A rough expected cost in any unit, used only to order work: a sweep hands out the costliest
  // work units first, so cheap ones fill the end and ranks finish together. Never affects results.
  virtual double relative_cost(const Task& /*task*/) const { return 1.0; }
};

using JobFactory = std::function<std::unique_ptr<Job>()>;

class JobRegistry {
 public:
  void add(const std::string& kind, JobFactory factory);
  bool has(const std::string& kind) const;
  std::unique_ptr<Job> make(const std::string& kind) const;  // throws naming known kinds

 private:
  std::map<std::string, JobFactory> factories_;
};

}  // namespace riskstep
