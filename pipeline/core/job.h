#pragma once
// The contract between the engine and a study: a Job turns a Task into a Result. A JobKind
// declares a study once (name, factory, settings, study table, its own commands);
// jobs/study_kinds.cpp registers each kind with one line, and the engine knows nothing else of it.
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "pipeline/core/result.h"
#include "pipeline/core/settings.h"
#include "pipeline/core/task.h"
#include "pipeline/core/task_identity.h"

namespace CLI {
class App;  // CLI11's command line, which a kind may add its own commands to (app/)
}  // namespace CLI

namespace riskstep {

class Communicator;  // pipeline/comm/communicator.h; the task's group of ranks
class JobRegistry;

struct TaskContext {
  int rank_in_group = 0;
  int group_size = 1;
  Communicator* group = nullptr;  // null when the task runs on one rank without MPI
  // Bound by the engine before any task runs (pipeline/run/device_plan.h): the run's device,
  // for tasks whose device is "auto" ("cpu" or "cuda:N"), and this rank's GPU ("" when none).
  std::string device = "cpu";
  std::string gpu;
  // Where a long task may keep resumable state ("" = none). A job claims it with
  // claim_checkpoint_dir (pipeline/layout/checkpoint_dir.h) before writing into it.
  std::string checkpoint_dir;
  bool resume = true;  // continue this task's checkpoint when there is one (else refuse it)
  std::function<void(const std::string&)> log;  // progress lines for long tasks
};

struct TaskOutcome {
  Result result;
  std::string error;     // non-empty: the task failed, with this message
  bool stopped = false;  // stopped cleanly before finishing (see TaskStopped); error says why
};

// Thrown by a job that stopped cleanly before finishing (a stop request, a stop-after setting),
// its state kept in the task's checkpoint directory: the engine stores nothing, so the next run
// of the same task resumes it.
class TaskStopped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
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
  // A few words for the progress line saying what runs (the settings that tell tasks apart, e.g.
  // model and data); "" = the kind's name.
  virtual std::string progress_label(const Task& /*task*/) const { return ""; }
  // The device the task computes on: "cpu", "cuda", or "auto" (the run's --device). The engine
  // binds each rank's GPU before any task runs when one needs "cuda".
  virtual std::string device(const Task& /*task*/) const { return "auto"; }
};

struct JobKind {
  std::string name;
  std::string description;  // one line, for listings
  std::function<std::unique_ptr<Job>()> make;
  SettingsSchema settings;
  // The content of the input data a task reads, which enters its id in place of the input
  // settings (paths); unset: the kind reads no input data.
  InputDigest input_digest;
  // The study table `riskstep aggregate` prints from this kind's /summary rows (grouped by
  // `group_by`, or the kind's own grouping when empty); unset: finished tasks per group.
  std::function<Table(const Table& rows, const std::vector<std::string>& group_by)> study_table;
  // Adds the kind's own subcommands to riskstep's command line (e.g. `riskstep backtest`); each
  // sets `exit_status` when it runs (app/exit_status.h). Unset: the kind runs through sweeps only.
  std::function<void(CLI::App& app, const JobRegistry& registry, int& exit_status)> add_commands;
};

class JobRegistry {
 public:
  void add(JobKind kind);  // throws std::logic_error on a second kind of the same name
  bool has(const std::string& name) const;
  const JobKind& kind(const std::string& name) const;  // throws naming the known kinds
  std::unique_ptr<Job> make(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, JobKind> kinds_;
};

}  // namespace riskstep
