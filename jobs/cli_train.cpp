#include "jobs/cli_train.h"

#include <mpi.h>

#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>

#include "jobs/train_stepnet.h"
#include "pipeline/mpi_communicator.h"
#include "pipeline/result_store.h"
#include "pipeline/run_metadata.h"
#include "pipeline/task.h"

namespace riskstep {

namespace {

struct TrainOptions {
  TrainSettings settings;
  uint64_t seed = 1;
  std::string checkpoint_dir;
  bool resume = false;
  std::string out;
};

Params to_params(const TrainSettings& s) {
  Params p;
  p["dataset"] = s.dataset;
  if (!s.data_dir.empty()) p["data_dir"] = s.data_dir;
  p["depth"] = int64_t(s.depth);
  p["block"] = s.block;
  p["attention"] = s.attention;
  if (!s.attention_blocks.empty()) p["attention_blocks"] = s.attention_blocks;
  p["epochs"] = int64_t(s.epochs);
  p["batch"] = s.global_batch;
  p["lr"] = s.base_lr;
  p["momentum"] = s.momentum;
  p["weight_decay"] = s.weight_decay;
  p["augment"] = s.augment;
  p["train_subset"] = s.train_subset;
  p["test_subset"] = s.test_subset;
  p["steps_per_epoch"] = s.steps_per_epoch;
  p["nsi_samples"] = s.nsi_samples;
  p["bucket_mb"] = s.bucket_mb;
  p["threads"] = int64_t(s.threads);
  p["backend"] = s.backend;
  p["device"] = s.device;
  p["freeze_bn"] = s.freeze_batchnorm;
  if (s.stop_after_epochs > 0) p["stop_after_epochs"] = int64_t(s.stop_after_epochs);
  return p;
}

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

void run_train(const TrainOptions& options, int& exit_code) {
  int mpi_ready = 0;
  MPI_Initialized(&mpi_ready);
  std::unique_ptr<MpiCommunicator> world;
  if (mpi_ready) world = std::make_unique<MpiCommunicator>(MPI_COMM_WORLD);
  const int rank = world ? world->rank() : 0;
  const int ranks = world ? world->size() : 1;

  const Task task = make_task("train_stepnet", to_params(options.settings), options.seed, ranks);
  TaskContext context;
  context.rank_in_group = rank;
  context.group_size = ranks;
  context.group = world.get();
  context.checkpoint_dir = options.checkpoint_dir;
  context.log = [](const std::string& line) { std::cout << line << std::endl; };

  TaskRecord record;
  record.task = task;
  record.rank = rank;
  const auto start = std::chrono::steady_clock::now();
  try {
    TrainStepnetJob job(options.resume);
    record.result = job.run(task, context);
    exit_code = 0;
  } catch (const std::invalid_argument& error) {
    if (rank == 0) std::cerr << "riskstep train: " << error.what() << std::endl;
    exit_code = 2;
    return;
  } catch (const std::exception& error) {
    std::cerr << "riskstep train (rank " << rank << "): " << error.what() << std::endl;
    exit_code = 1;
    return;
  }
  record.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rank != 0) return;
  print_summary(record.result);
  if (!options.out.empty()) {
    write_results_file(
        options.out, collect_run_metadata(canonical_json(task.kind, task.params), ranks), {record});
    std::cout << "wrote " << options.out << "\n";
  }
}

}  // namespace

void add_train_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TrainOptions>();
  TrainSettings& s = options->settings;
  CLI::App* train =
      app.add_subcommand("train", "Train one ResNet (data-parallel over the ranks of mpirun)");
  train->footer(
      "Examples:\n"
      "  riskstep train --attention stepnet --epochs 1 --steps-per-epoch 100\n"
      "  mpirun -np 2 riskstep train --attention se --threads 1 --out se.h5\n"
      "  mpirun -np 2 riskstep train --checkpoint-dir ckpt --resume      # continue an interrupted "
      "run\n"
      "  riskstep train --dataset cifar10 --data ~/cifar-10-batches-bin --depth 164 --block "
      "bottleneck\n"
      "  mpirun -np 1 riskstep train --device cuda --backend nccl      # one rank per GPU\n"
      "StepNet's module is our reconstruction of Huang et al. (ICCV 2023); see docs/stepnet.md.");
  train->add_option("--dataset", s.dataset, "fashion-mnist | cifar10 | cifar100")
      ->check(CLI::IsMember({"fashion-mnist", "cifar10", "cifar100"}))
      ->capture_default_str();
  train->add_option(
      "--data", s.data_dir,
      "Data directory (default for fashion-mnist: /usr/share/datasets/fashion-mnist)");
  train->add_option("--depth", s.depth, "Depth: 6n+2 (basic) or 9n+2 (bottleneck)")
      ->capture_default_str();
  train->add_option("--block", s.block, "basic | bottleneck")
      ->check(CLI::IsMember({"basic", "bottleneck"}))
      ->capture_default_str();
  train->add_option("--attention", s.attention, "none | se | stepnet")
      ->check(CLI::IsMember({"none", "se", "stepnet"}))
      ->capture_default_str();
  train->add_option("--attention-blocks", s.attention_blocks,
                    "Comma-separated global block indices with attention (default all)");
  train->add_option("--epochs", s.epochs, "Epochs (lr x0.1 at 50% and 75%)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  train->add_option("--batch", s.global_batch, "Global batch size over all ranks")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  train->add_option("--lr", s.base_lr, "Learning rate for a global batch of 128 (scaled linearly)")
      ->capture_default_str();
  train->add_option("--momentum", s.momentum, "SGD momentum")->capture_default_str();
  train->add_option("--weight-decay", s.weight_decay, "SGD weight decay")->capture_default_str();
  train->add_flag("!--no-augment", s.augment, "Disable random crop and flip");
  train->add_option("--train-subset", s.train_subset, "Use the first N training images (0 = all)")
      ->capture_default_str();
  train->add_option("--test-subset", s.test_subset, "Use the first N test images (0 = all)")
      ->capture_default_str();
  train->add_option("--steps-per-epoch", s.steps_per_epoch, "Cap steps per epoch (0 = full epochs)")
      ->capture_default_str();
  train->add_option("--nsi-samples", s.nsi_samples, "Test images for NSI/attention (0 = all)")
      ->capture_default_str();
  train->add_option("--bucket-mb", s.bucket_mb, "Gradient bucket cap in MB")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  train->add_option("--threads", s.threads, "Intra-op threads per rank (0 = LibTorch default)")
      ->capture_default_str();
  train->add_option("--backend", s.backend, "auto | mpi | nccl (auto: nccl on cuda, else mpi)")
      ->check(CLI::IsMember({"auto", "mpi", "nccl"}))
      ->capture_default_str();
  train->add_option("--device", s.device, "cpu | cuda")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->capture_default_str();
  train->add_flag("--freeze-bn", s.freeze_batchnorm, "Keep BatchNorm in eval mode while training");
  train->add_option("--stop-after-epochs", s.stop_after_epochs,
                    "Stop after this many epochs (to test --resume)");
  train->add_option("--seed", options->seed, "Seed (weights, data order, augmentation)")
      ->capture_default_str();
  train->add_option("--checkpoint-dir", options->checkpoint_dir,
                    "Write checkpoint.pt here after every epoch");
  train->add_flag("--resume", options->resume,
                  "Continue from --checkpoint-dir/checkpoint.pt when present");
  train->add_option("--out", options->out, "Write the result as an HDF5 results file");
  train->callback([options, &exit_code]() { run_train(*options, exit_code); });
}

}  // namespace riskstep
