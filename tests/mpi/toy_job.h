#pragma once
// A test-only job kind "toy" for the engine tests: cheap, deterministic from the task seed, and
// steerable by parameters (sleep, fail, return NaN, log each run to a file).
#include <fcntl.h>
#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "pipeline/communicator.h"
#include "pipeline/job.h"
#include "pipeline/stop_signal.h"
#include "test_data.h"

namespace riskstep::testing {

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Parameters (all optional): model (string; "invalid" fails validation), work_ms (sleep),
// fail_if (a model name that throws while `fail_flag_file` exists, or always when no flag file
// is given), nan_if (a model name whose result holds a NaN), log_file (one "<id>" line appended
// per finished run, or $RISKSTEP_TOY_LOG: proves what was recomputed), stop_if (a model name
// that requests a clean stop, as SIGUSR1 would), cost (relative_cost).
class ToyJob : public Job {
 public:
  void validate(const Task& task) const override {
    if (param_string_or(task, "model", "") == "invalid")
      throw std::invalid_argument("parameter 'model': 'invalid' is not a model");
  }

  // batch_by names a parameter: tasks with equal values of it form one run_batch call, which
  // logs "batch <size>" and then runs each task as run() would.
  std::string batch_key(const Task& task) const override {
    const std::string by = param_string_or(task, "batch_by", "");
    return by.empty() ? "" : param_to_string(param(task, by));
  }

  // cost (a number, default 1): the sweep should start costlier tasks first.
  double relative_cost(const Task& task) const override {
    return param_double_or(task, "cost", 1.0);
  }

  std::vector<TaskOutcome> run_batch(const std::vector<Task>& tasks,
                                     const TaskContext& context) override {
    append_log(tasks.front(), context, "batch " + std::to_string(tasks.size()));
    return Job::run_batch(tasks, context);
  }

  Result run(const Task& task, const TaskContext& context) override {
    const std::string model = param_string_or(task, "model", "none");
    const int64_t work_ms = param_int_or(task, "work_ms", 0);
    if (work_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(work_ms));
    // As if SIGUSR1 (time limit near) arrived while this task ran.
    if (model == param_string_or(task, "stop_if", "")) request_stop();
    if (model == param_string_or(task, "fail_if", "")) {
      const std::string flag = param_string_or(task, "fail_flag_file", "");
      if (flag.empty() || std::filesystem::exists(flag))
        throw std::runtime_error("model '" + model + "' was asked to fail");
    }
    Result result;
    uint64_t state = task.seed;
    std::vector<double> values(5);
    for (auto& v : values) v = static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;
    if (model == param_string_or(task, "nan_if", "")) values[2] = std::nan("");
    result.columns["values"] = values;
    result.columns["labels/model"] = std::vector<std::string>{model, "x"};
    result.columns["counts"] = std::vector<int64_t>{1, 2, static_cast<int64_t>(task.seed % 97)};
    Matrix matrix{2, 2, {values[0], values[1], values[3], values[4]}, {"a", "b"}};
    result.matrices["grid/m"] = matrix;
    Table table;
    table.add("name", std::vector<std::string>{"mean", "first"})
        .add("value", std::vector<double>{(values[0] + values[1]) / 2, values[0]});
    result.tables["stats"] = table;
    result.summary.add("score", std::vector<double>{values[0]}).add("n", std::vector<int64_t>{5});
    result.attributes["input_sha256"] = std::string("toy");
    if (context.group) {  // group tasks: a reduction the whole group must take part in
      double sum = context.rank_in_group + 1;
      context.group->allreduce_sum(&sum, 1, ElementType::float64);
      result.attributes["group_sum"] = sum;
      result.attributes["group_size"] = static_cast<int64_t>(context.group_size);
    }
    append_log(task, context, task.id);
    return result;
  }

 private:
  static void append_log(const Task& task, const TaskContext& context, const std::string& line) {
    // The environment variable keeps the log out of the parameters (and so out of the task id).
    const char* log_env = std::getenv("RISKSTEP_TOY_LOG");
    const std::string log = param_string_or(task, "log_file", log_env ? log_env : "");
    if (log.empty() || context.rank_in_group != 0) return;
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return;
    const std::string text = line + "\n";
    ssize_t written = ::write(fd, text.data(), text.size());
    (void)written;
    ::close(fd);
  }
};

inline JobRegistry toy_registry() {
  JobRegistry registry;
  registry.add("toy", [] { return std::make_unique<ToyJob>(); });
  return registry;
}

// scratch_dir() is per process; MPI tests need one directory all ranks agree on.
inline std::string shared_scratch_dir(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::string dir = rank == 0 ? scratch_dir() : std::string();
  uint64_t size = dir.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, 0, comm);
  dir.resize(size);
  MPI_Bcast(dir.data(), static_cast<int>(size), MPI_CHAR, 0, comm);
  return dir;
}

}  // namespace riskstep::testing
