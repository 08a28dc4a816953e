#include "tests/kinds/echo/echo_job.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "pipeline/comm/communicator.h"
#include "pipeline/core/typed_settings.h"
#include "pipeline/process/stop_signal.h"

namespace riskstep {
namespace {

struct EchoSettings {
  std::string model = "none";   // a label; fail_if, nan_if and stop_if compare against it
  std::string period;           // another label
  int64_t i = 0;                // an index, to make many distinct tasks
  int64_t seed = -1;            // a replicate number
  std::vector<double> levels;   // a list setting, as VaR levels ("0.01,0.05")
  std::string data_dir;         // an input path (resolved against the spec): echo reads nothing
  std::string fail_if;          // this model throws (while fail_flag_file exists, if given)
  std::string nan_if;           // this model returns a NaN
  std::string stop_if;          // this model asks for a clean stop, as SIGUSR1 would
  int64_t work_ms = 0;          // sleep this long
  std::string fail_flag_file;   // see fail_if
  std::string log_file;         // one "<task id>" line per finished run ("" = $RISKSTEP_ECHO_LOG)
  double cost = 1.0;            // Job::relative_cost; identity only so a test grid can vary it
  std::string batch_by;         // tasks with equal values of this setting run as one batch
  std::string device = "auto";  // auto | cpu | cuda: which device the task says it computes on
};

const SettingsOf<EchoSettings>& echo_settings() {
  static const auto bound =
      SettingsOf<EchoSettings>()
          .identity("model", &EchoSettings::model, "A label; fail_if, nan_if, stop_if match it")
          .identity("period", &EchoSettings::period, "Another label")
          .identity("i", &EchoSettings::i, "An index")
          .identity("seed", &EchoSettings::seed, "A replicate number")
          .identity("levels", &EchoSettings::levels, "A list of numbers")
          .input("data_dir", &EchoSettings::data_dir, "A directory (only echoed)")
          .path()
          .identity("fail_if", &EchoSettings::fail_if, "This model fails")
          .identity("nan_if", &EchoSettings::nan_if, "This model returns a NaN")
          .identity("stop_if", &EchoSettings::stop_if, "This model requests a clean stop")
          .run("work_ms", &EchoSettings::work_ms, "Sleep this many milliseconds")
          .run("fail_flag_file", &EchoSettings::fail_flag_file, "fail_if only while this exists")
          .path()
          .run("log_file", &EchoSettings::log_file, "Append each finished task id here")
          .path()
          .identity("cost", &EchoSettings::cost, "Relative cost (an axis in the engine tests)")
          .run("batch_by", &EchoSettings::batch_by, "Batch tasks with equal values of this")
          .run("device", &EchoSettings::device, "Device (echo computes nothing on it)",
               {"auto", "cpu", "cuda"});
  return bound;
}

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The log path stays out of the identity (a run setting or the environment), so logging never
// changes a task id.
void append_log(const EchoSettings& s, const TaskContext& context, const std::string& line) {
  const char* from_environment = std::getenv("RISKSTEP_ECHO_LOG");
  const std::string log = !s.log_file.empty() ? s.log_file
                          : from_environment  ? from_environment
                                              : "";
  if (log.empty() || context.rank_in_group != 0) return;
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) return;
  const std::string text = line + "\n";
  ssize_t written = ::write(fd, text.data(), text.size());
  (void)written;
  ::close(fd);
}

Result echo_result(const Task& task, const EchoSettings& s, const TaskContext& context) {
  Result result;
  uint64_t state = task.seed;
  std::vector<double> values(5);
  for (auto& v : values) v = static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;
  if (s.model == s.nan_if) values[2] = std::nan("");
  result.columns["values"] = values;
  result.columns["labels/model"] = std::vector<std::string>{s.model, "x"};
  result.columns["counts"] = std::vector<int64_t>{1, 2, static_cast<int64_t>(task.seed % 97)};
  result.matrices["grid/m"] =
      Matrix{2, 2, {values[0], values[1], values[3], values[4]}, {"a", "b"}};
  Table stats;
  stats.add("name", std::vector<std::string>{"mean", "first"})
      .add("value", std::vector<double>{(values[0] + values[1]) / 2, values[0]});
  result.tables["stats"] = stats;
  result.summary.add("score", std::vector<double>{values[0]}).add("n", std::vector<int64_t>{5});
  // The device the task was given, as a job that computes on it would resolve it.
  result.attributes["device"] = s.device == "auto"   ? context.device
                                : s.device == "cuda" ? context.gpu
                                                     : std::string("cpu");
  if (context.group) {  // group tasks: a reduction the whole group must take part in
    double sum = context.rank_in_group + 1;
    context.group->allreduce_sum(&sum, 1, ElementType::float64);
    result.attributes["group_sum"] = sum;
    result.attributes["group_size"] = static_cast<int64_t>(context.group_size);
  }
  return result;
}

class EchoJob : public Job {
 public:
  void validate(const Task& task) const override {
    if (echo_settings().read(task).model == "invalid")
      throw std::invalid_argument("setting 'model': 'invalid' is not a model");
  }

  std::string batch_key(const Task& task) const override {
    const EchoSettings s = echo_settings().read(task);
    if (s.batch_by.empty()) return "";
    const auto value = task.params.find(s.batch_by);
    return s.batch_by + "=" + (value == task.params.end() ? "" : param_to_string(value->second));
  }

  double relative_cost(const Task& task) const override { return echo_settings().read(task).cost; }

  std::string device(const Task& task) const override { return echo_settings().read(task).device; }

  std::vector<TaskOutcome> run_batch(const std::vector<Task>& tasks,
                                     const TaskContext& context) override {
    append_log(echo_settings().read(tasks.front()), context,
               "batch " + std::to_string(tasks.size()));
    return Job::run_batch(tasks, context);
  }

  Result run(const Task& task, const TaskContext& context) override {
    const EchoSettings s = echo_settings().read(task);
    if (s.work_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(s.work_ms));
    if (s.model == s.stop_if) request_stop();
    if (s.model == s.fail_if &&
        (s.fail_flag_file.empty() || std::filesystem::exists(s.fail_flag_file)))
      throw std::runtime_error("model '" + s.model + "' was asked to fail");
    Result result = echo_result(task, s, context);
    append_log(s, context, task.id);
    return result;
  }
};

}  // namespace

JobKind echo_kind() {
  JobKind kind;
  kind.name = "echo";
  kind.description = "numbers drawn from the task seed (the engine's test kind)";
  kind.make = [] { return std::make_unique<EchoJob>(); };
  kind.settings = echo_settings().schema();
  return kind;
}

JobRegistry echo_registry() {
  JobRegistry registry;
  registry.add(echo_kind());
  return registry;
}

}  // namespace riskstep
