#include "jobs/train_stepnet/train_stepnet.h"

#include <stdexcept>

#include "jobs/train_stepnet/image_data.h"
#include "jobs/train_stepnet/stepnet_table.h"
#include "jobs/train_stepnet/train_command.h"
#include "jobs/train_stepnet/training_checkpoint.h"
#include "pipeline/comm/mpi_communicator.h"
#include "pipeline/layout/checkpoint_dir.h"

namespace riskstep {
namespace {

class TrainStepnetJob : public Job {
 public:
  void validate(const Task& task) const override {
    check_train_settings(train_settings().read(task));
  }

  std::string device(const Task& task) const override { return train_settings().read(task).device; }

  std::string progress_label(const Task& task) const override {
    const TrainSettings s = train_settings().read(task);
    return "resnet-" + std::to_string(s.depth) + " " + s.attention + " seed " +
           std::to_string(s.replicate);
  }

  Result run(const Task& task, const TaskContext& context) override {
    const TrainSettings s = train_settings().read(task);
    TrainControl control;
    control.resume = context.resume;
    control.device = context.device;
    control.gpu = context.gpu;
    control.log = context.log;
    if (s.stop_after_epochs > 0 && context.checkpoint_dir.empty())
      throw std::invalid_argument(
          "setting 'stop_after_epochs' needs a checkpoint directory to resume from "
          "(riskstep train --checkpoint-dir DIR)");
    if (!context.checkpoint_dir.empty()) {
      auto* group = dynamic_cast<MpiCommunicator*>(context.group);
      if (group != nullptr && group->size() > 1)
        claim_checkpoint_dir_together(context.checkpoint_dir, task, group->comm());
      else  // alone, possibly on the sweep's helper thread: no MPI call
        claim_checkpoint_dir(context.checkpoint_dir, task, true);
      control.checkpoint_dir = context.checkpoint_dir;
    }
    TrainingRun run = run_training(s, task.seed, context.group, control);
    if (!run.finished)
      throw TaskStopped("stopped after epoch " + std::to_string(run.epochs_done) + " of " +
                        std::to_string(s.epochs) + " (checkpoint " +
                        checkpoint_file(control.checkpoint_dir) + ")");
    return std::move(run.result);
  }
};

}  // namespace

JobKind train_stepnet_kind() {
  JobKind kind;
  kind.name = "train_stepnet";
  kind.description = "data-parallel training of a ResNet with none/se/stepnet attention";
  kind.make = [] { return std::make_unique<TrainStepnetJob>(); };
  kind.settings = train_settings().schema();
  kind.input_digest = image_data_digest;
  kind.study_table = stepnet_table;
  kind.add_commands = add_train_command;
  return kind;
}

}  // namespace riskstep
