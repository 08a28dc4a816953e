#include "jobs/train_stepnet/train_command.h"

#include <mpi.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include "app/run_command.h"
#include "app/setting_options.h"
#include "jobs/train_stepnet/training_checkpoint.h"
#include "pipeline/comm/mpi_communicator.h"
#include "pipeline/layout/checkpoint_dir.h"
#include "pipeline/process/interrupt.h"
#include "pipeline/process/stop_signal.h"
#include "pipeline/run/device_plan.h"
#include "pipeline/run/work_unit.h"
#include "pipeline/spec/sweep_spec.h"
#include "pipeline/store/output_path.h"
#include "pipeline/store/result_store.h"
#include "pipeline/store/run_metadata.h"

namespace riskstep {

namespace {

struct TrainOptions {
  std::unique_ptr<SettingOptions> settings;  // every train_stepnet setting but the replicate
  uint64_t seed = 1;
  std::string checkpoint_dir;
  bool resume = false;
  std::string out;
  bool force = false;
};

void print_summary(const Result& result) {
  auto number = [&](const std::string& name) {
    return std::get<double>(result.attributes.at(name));
  };
  std::cout << std::fixed << std::setprecision(4) << "final test accuracy "
            << number("final_test_accuracy") << ", parameters "
            << std::get<int64_t>(result.attributes.at("parameter_count")) << "\n";
  const Table& nsi = result.tables.at("nsi");
  const auto& stage = std::get<std::vector<int64_t>>(nsi.column("stage"));
  const auto& mean = std::get<std::vector<double>>(nsi.column("mean"));
  const auto& min = std::get<std::vector<double>>(nsi.column("min"));
  const auto& max = std::get<std::vector<double>>(nsi.column("max"));
  for (int64_t s = 1; s <= 3; ++s) {
    double sum = 0, lowest = 1e300, highest = -1e300;
    int blocks = 0;
    for (size_t i = 0; i < stage.size(); ++i) {
      if (stage[i] != s) continue;
      sum += mean[i];
      lowest = std::min(lowest, min[i]);
      highest = std::max(highest, max[i]);
      ++blocks;
    }
    if (blocks > 0)
      std::cout << "NSI stage " << s << ": mean over " << blocks << " blocks " << sum / blocks
                << ", min " << lowest << ", max " << highest << "\n";
  }
}

// The command as a spec of one task on every rank, so it is the very task `riskstep sweep`
// would run for that spec (same id, same seed).
Task train_task(const TrainOptions& options, const JobKind& kind, int ranks, SweepSpec& spec) {
  spec.kind = kind.name;
  spec.source = "the command line";  // messages start "riskstep train: the command line: ..."
  spec.seed = options.seed;
  spec.ranks_per_task = ranks;
  spec.fixed = options.settings->given();
  if (!options.out.empty()) check_results_file_path(options.out, options.force);
  const Task task = expand_tasks(spec, kind.settings, kDefaultMaxTasks, kind.input_digest).front();
  kind.make()->validate(task);
  return task;
}

TaskContext train_context(const TrainOptions& options, Communicator* world,
                          const DevicePlan& devices) {
  TaskContext context;
  context.device = devices.run_device;
  context.gpu = devices.gpu;
  context.rank_in_group = world->rank();
  context.group_size = world->size();
  context.group = world;
  context.checkpoint_dir = options.checkpoint_dir;
  context.resume = options.resume;
  context.log = [](const std::string& line) { std::cout << line << std::endl; };
  if (options.resume && world->rank() == 0 && !options.checkpoint_dir.empty() &&
      !std::filesystem::exists(checkpoint_file(options.checkpoint_dir)))
    context.log("no checkpoint in " + options.checkpoint_dir + ": starting fresh");
  return context;
}

int report(const TrainOptions& options, const TaskRecord& record, const SweepSpec& spec,
           int ranks) {
  if (record.status == "stopped") {
    std::cout << "riskstep train: " << record.error
              << ": run the same command with --resume to continue\n";
    return kStoppedEarlyStatus;
  }
  if (record.status != "ok") {
    print_command_error("train", record.error);
    return exit_status::failed;
  }
  print_summary(record.result);
  if (options.out.empty()) return exit_status::ok;
  const auto write = [&] {
    write_results_file(options.out, collect_run_metadata(spec_toml(spec), ranks), {record});
  };
  if (const int status = run_step("train", write)) return status;
  std::cout << "wrote " << options.out << "\n";
  return exit_status::ok;
}

int run_train(const TrainOptions& options, const JobRegistry& registry) {
  MpiCommunicator world(MPI_COMM_WORLD);
  const JobKind& kind = registry.kind("train_stepnet");
  SweepSpec spec;
  Task task;
  const std::unique_ptr<Job> job = kind.make();
  DevicePlan devices;
  // Every rank takes each step (the claim and the binding are collective) and fails alike.
  const auto prepare = [&] {
    task = train_task(options, kind, world.size(), spec);
    // Before any device is bound: a checkpoint directory of another task is a user error.
    if (!options.checkpoint_dir.empty())
      claim_checkpoint_dir_together(options.checkpoint_dir, task, world.comm());
    devices = bind_devices(MPI_COMM_WORLD, "cpu", *job, {task});  // before anything touches CUDA
  };
  if (const int status = run_step("train", prepare, exit_status::bad_input)) return status;
  StopRequestGuard stop_guard;  // SIGUSR1: checkpoint after this epoch and stop
  const std::string interrupted =
      options.checkpoint_dir.empty()
          ? "riskstep train: interrupted; nothing was kept (with --checkpoint-dir DIR a training "
            "keeps every finished epoch): run the same command to start again"
          : "riskstep train: interrupted; the last finished epoch is kept in " +
                options.checkpoint_dir + ": run the same command with --resume to continue";
  InterruptGuard interrupt_guard(world.rank() == 0 ? interrupted : "");
  const TaskRecord record =
      run_work_unit(*job, {task}, train_context(options, &world, devices), world.rank()).front();
  if (world.rank() != 0)
    return record.status == "ok"        ? exit_status::ok
           : record.status == "stopped" ? exit_status::stopped_early
                                        : exit_status::failed;
  return report(options, record, spec, world.size());
}

}  // namespace

void add_train_command(CLI::App& app, const JobRegistry& registry, int& exit_code) {
  auto options = std::make_shared<TrainOptions>();
  CLI::App* train =
      app.add_subcommand("train", "Train one ResNet (data-parallel over the ranks of mpirun)");
  train->footer(
      "Examples:\n"
      "  riskstep train --attention stepnet --epochs 1 --steps-per-epoch 100\n"
      "  mpirun -np 2 riskstep train --attention se --threads 1 --out se.h5\n"
      "  riskstep train --epochs 2 --checkpoint-dir ck --stop-after-epochs 1   # stops, exit 3\n"
      "  riskstep train --epochs 2 --checkpoint-dir ck --resume                # continues it\n"
      "  riskstep train --dataset cifar10 --data-dir ~/cifar-10-batches-bin --depth 164 "
      "--block bottleneck\n"
      "  mpirun -np 2 riskstep train --device cuda      # one rank per GPU, NCCL\n"
      "Run settings (marked) never change the task id or the numbers; the others do.\n"
      "StepNet's module is our reconstruction of Huang et al. (ICCV 2023); see docs/stepnet.md.");
  options->settings = std::make_unique<SettingOptions>(
      *train, registry.kind("train_stepnet").settings, std::set<std::string>{"seed"});
  train->add_option("--seed", options->seed, "Seed (weights, data order, augmentation)")
      ->capture_default_str();
  train->add_option("--checkpoint-dir", options->checkpoint_dir,
                    "Keep a checkpoint here after every epoch (it belongs to this task)");
  train->add_flag("--resume", options->resume,
                  "Continue the checkpoint in --checkpoint-dir (fresh when there is none)");
  train->add_option("--out", options->out, "Write the result as an HDF5 results file");
  train->add_flag("--force", options->force,
                  "Replace --out even when it is a file riskstep did not write");
  train->callback(
      [options, &registry, &exit_code]() { exit_code = run_train(*options, registry); });
}

}  // namespace riskstep
