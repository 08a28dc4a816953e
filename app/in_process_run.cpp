#include "app/in_process_run.h"

#include <filesystem>
#include <iostream>
#include <set>
#include <stdexcept>

#include "pipeline/run/work_unit.h"
#include "pipeline/store/result_store.h"
#include "pipeline/store/run_metadata.h"

namespace riskstep {
namespace {

void refuse_replacing_other_tasks(const std::string& out, const std::vector<Task>& tasks) {
  if (!std::filesystem::exists(out)) return;
  std::set<std::string> ours;
  for (const Task& task : tasks) ours.insert(task.id);
  size_t others = 0;
  for (const TaskRecord& record : read_results_file(out)) others += !ours.count(record.task.id);
  if (others > 0)
    throw std::invalid_argument(out + " holds " + std::to_string(others) +
                                " results of other tasks: use another --out, or --force to "
                                "replace the file");
}

void print_unit_line(const Job& job, size_t done, size_t unit_size, size_t total,
                     const Task& first) {
  const std::string label = job.progress_label(first);
  std::cerr << "[" << done + 1 << "-" << done + unit_size << "/" << total << "] "
            << (label.empty() ? first.kind : label)
            << (unit_size > 1 ? " (" + std::to_string(unit_size) + " tasks as one batch)" : "")
            << " ..." << std::flush;
}

void print_unit_outcome(const std::vector<TaskRecord>& done) {
  const size_t failed = failed_count(done);
  std::cerr << " " << (failed ? std::to_string(failed) + " failed" : "ok") << " ("
            << done.front().wall_seconds * double(done.size()) << " s)\n";
  for (const auto& record : done)
    if (record.status != "ok")
      std::cerr << "  task " << record.task.id << ": " << record.error << "\n";
}

}  // namespace

std::vector<Task> in_process_tasks(const SweepSpec& spec, const JobKind& kind, const Job& job,
                                   const std::string& out, bool force) {
  std::vector<Task> tasks = expand_tasks(spec, kind.settings, kDefaultMaxTasks, kind.input_digest);
  for (const Task& task : tasks) job.validate(task);
  if (!out.empty() && !force) refuse_replacing_other_tasks(out, tasks);
  return tasks;
}

std::vector<TaskRecord> run_in_process(Job& job, const std::vector<Task>& tasks) {
  std::vector<size_t> all(tasks.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<TaskRecord> records;
  for (const auto& unit : group_work_units(job, tasks, all)) {
    std::vector<Task> unit_tasks;
    for (size_t index : unit) unit_tasks.push_back(tasks[index]);
    print_unit_line(job, records.size(), unit.size(), tasks.size(), unit_tasks.front());
    TaskContext context;
    context.log = [](const std::string& line) { std::cerr << "\n  " << line << std::flush; };
    const std::vector<TaskRecord> done = run_work_unit(job, unit_tasks, context, 0);
    print_unit_outcome(done);
    records.insert(records.end(), done.begin(), done.end());
  }
  return records;
}

void write_in_process_results(const std::string& path, const SweepSpec& spec,
                              const std::vector<TaskRecord>& records) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  write_results_file(path, collect_run_metadata(spec_toml(spec), 1), records);
  std::cerr << "wrote " << path << "\n";
}

size_t failed_count(const std::vector<TaskRecord>& records) {
  size_t failed = 0;
  for (const auto& record : records) failed += record.status != "ok";
  return failed;
}

}  // namespace riskstep
