#include "jobs/train_stepnet/trainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "data/vision/device_batches.h"
#include "data/vision/image_batches.h"
#include "jobs/train_stepnet/gradient_channel.h"
#include "jobs/train_stepnet/image_data.h"
#include "jobs/train_stepnet/rank_sums.h"
#include "jobs/train_stepnet/stepnet_result.h"
#include "jobs/train_stepnet/training_checkpoint.h"
#include "jobs/train_stepnet/training_step.h"
#include "models/vision/resnet.h"
#include "models/vision/stiffness.h"
#include "pipeline/core/sha256.h"
#include "pipeline/process/stop_signal.h"
#include "training/compute_mode.h"
#include "training/data_parallel.h"
#include "training/flat_gradients.h"
#include "training/multi_tensor_sgd.h"

namespace riskstep {

using Clock = std::chrono::steady_clock;
using namespace riskstep::vision;

namespace {

double learning_rate(const TrainSettings& s, int epoch) {
  double lr = s.base_lr * double(s.global_batch) / 128.0;
  if (epoch >= 0.5 * s.epochs) lr *= 0.1;  // 164 epochs: from epoch index 82 and 123
  if (epoch >= 0.75 * s.epochs) lr *= 0.1;
  return lr;
}

void set_learning_rate(torch::optim::SGD& optimizer, double lr) {
  for (auto& group : optimizer.param_groups())
    static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);
}

void freeze_batchnorm(ResNet& model) {
  for (auto& module : model->modules(false))
    if (module->as<torch::nn::BatchNorm2d>() != nullptr) module->eval();
}

struct Evaluation {
  double loss = 0.0;
  double accuracy = 0.0;
};

// Test loss and accuracy over the whole test set, each rank taking a contiguous share; with
// `stiffness`, NSI and attention over the first nsi_samples images too.
// Sums on the device, read once: a host read per batch would stall the device every batch.
struct DeviceSums {
  torch::Tensor loss, correct;
  explicit DeviceSums(torch::Device device)
      : loss(torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device))),
        correct(torch::zeros_like(loss)) {}
};

Evaluation evaluate(ResNet& model, DeviceImages& test, const TrainSettings& s,
                    Communicator* communicator, StiffnessAccumulator* stiffness) {
  torch::NoGradGuard no_grad;
  model->eval();
  const int ranks = communicator == nullptr ? 1 : communicator->size();
  const int rank = communicator == nullptr ? 0 : communicator->rank();
  const int64_t n = test.size();
  test.start_epoch(EpochPlan(n, n, 0, 0, /*shuffle=*/false), Augmentation{}, 0, 0);
  const int64_t first = n * rank / ranks, last = n * (rank + 1) / ranks;
  const int64_t nsi_limit = s.nsi_samples > 0 ? std::min(n, s.nsi_samples) : n;
  const int64_t eval_batch = 500;
  DeviceSums totals(test.device());
  const PrecisionScope precision(s.precision, test.device());
  for (int64_t begin = first, end = first; begin < last; begin = end) {
    end = std::min(last, begin + eval_batch);
    // Batches end at the NSI limit, so the traced part is exactly the first nsi_samples images.
    if (stiffness != nullptr && begin < nsi_limit && end > nsi_limit) end = nsi_limit;
    const Batch batch = test.batch(begin, end);
    const bool traced = stiffness != nullptr && begin < nsi_limit;
    ForwardOutput output = model->forward_traced(in_layout(batch.images, s.precision), traced);
    totals.loss += torch::nn::functional::cross_entropy(
                       output.logits.to(torch::kFloat32), batch.labels,
                       torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                       .to(torch::kFloat64);
    totals.correct += output.logits.argmax(1).eq(batch.labels).sum().to(torch::kFloat64);
    if (traced) stiffness->add(output.traces);
  }
  std::vector<double> sums = {totals.loss.item<double>(), totals.correct.item<double>(),
                              double(last - first)};
  reduce_sum(communicator, sums);
  Evaluation evaluation;
  evaluation.loss = sums[0] / sums[2];
  evaluation.accuracy = sums[1] / sums[2];
  return evaluation;
}

std::vector<float> flatten_parameters(ResNet& model) {
  std::vector<torch::Tensor> pieces;
  for (const auto& p : model->parameters())
    pieces.push_back(p.detach().to(torch::kCPU, torch::kFloat32).reshape({-1}));
  const auto flat = torch::cat(pieces).contiguous();
  return std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
}

std::string sha256_of_floats(const std::vector<float>& values) {
  return sha256_hex(
      std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
}

// The setting's device: "auto" is the run's (TaskContext::device), "cuda" the GPU the engine bound
// to this rank (TaskContext::gpu), never the process's default GPU 0.
torch::Device resolve_device(const TrainSettings& s, const TrainControl& control) {
  std::string wanted = s.device == "auto" ? control.device : s.device;
  if (wanted == "cuda") wanted = control.gpu;
  if (wanted.empty())
    throw std::invalid_argument("setting 'device': cuda, but no GPU was bound to this rank");
  if (wanted.rfind("cuda", 0) == 0 && !torch::cuda::is_available())
    throw std::invalid_argument(
        "setting 'device': cuda requested but this LibTorch sees no CUDA GPU (CPU-only build or "
        "no device)");
  return torch::Device(wanted);
}

// Everything one rank holds for one training, built in the order that makes runs reproducible:
// seed, model, broadcast of rank 0's weights, optimiser.
struct Trainer {
  const TrainSettings& s;
  uint64_t seed;
  torch::Device device;
  ImageData data;
  ResNetConfig config;
  ResNet model{nullptr};
  int64_t parameters = 0;
  DeviceImages train_images, test_images;  // uploaded once
  GradientChannel channel;
  int rank = 0, ranks = 1;
  std::unique_ptr<torch::optim::SGD> optimizer;
  std::unique_ptr<FlatGradients> gradients;  // every .grad, one buffer
  std::unique_ptr<GradientReducer> reducer;

  Trainer(const TrainSettings& settings, uint64_t training_seed, torch::Device on,
          Communicator* group)
      : s(settings),
        seed(training_seed),
        device(on),
        data(load_image_data(settings)),
        train_images(data.train, data.normalization, Augmentation{}.padding, on),
        test_images(data.test, data.normalization, Augmentation{}.padding, on) {
    config.depth = s.depth;
    config.block = s.block == "basic" ? BlockKind::basic : BlockKind::bottleneck;
    config.in_channels = data.train.channels();
    config.num_classes = data.train.num_classes;
    config.attention = parse_attention(s.attention);
    config.attention_blocks = s.attention_blocks;
    torch::manual_seed(seed);
    model = ResNet(config);
    model->to(device);
    if (s.precision == "bf16") use_channels_last(*model);
    parameters = parameter_count(*model);
    gradients = std::make_unique<FlatGradients>(model->parameters());
    channel = open_channel(s, device, group);
    if (channel.communicator != nullptr) {
      rank = channel.communicator->rank();
      ranks = channel.communicator->size();
      broadcast_module_state(*model, *channel.communicator, 0);
    }
    optimizer = std::make_unique<MultiTensorSgd>(model->parameters(),
                                                 torch::optim::SGDOptions(learning_rate(s, 0))
                                                     .momentum(s.momentum)
                                                     .weight_decay(s.weight_decay));
  }
  Communicator* communicator() const { return channel.communicator; }
};

// Continues this training's checkpoint, when there is one and resuming is allowed.
TrainingProgress start_or_resume(Trainer& t, const TrainControl& control,
                                 const std::function<void(const std::string&)>& log) {
  if (control.checkpoint_dir.empty()) return {};
  const std::string path = checkpoint_file(control.checkpoint_dir);
  if (!std::filesystem::exists(path)) return {};
  if (!control.resume)
    throw std::invalid_argument(path +
                                " holds a checkpoint of this training: --resume "
                                "continues it (remove it to start over)");
  TrainingProgress progress =
      load_training_checkpoint(control.checkpoint_dir, t.model, *t.optimizer, t.device);
  log("resumed from " + path + " at epoch " + std::to_string(progress.next_epoch + 1));
  return progress;
}

// The optimiser steps of one epoch; returns {loss sum, images, comm wait s, seconds} summed over
// the ranks.
std::vector<double> train_epoch(Trainer& t, int epoch, int64_t& steps_taken) {
  const TrainSettings& s = t.s;
  set_learning_rate(*t.optimizer, learning_rate(s, epoch));
  t.model->train();
  if (s.freeze_batchnorm) freeze_batchnorm(t.model);
  const EpochPlan plan(t.data.train.size(), s.global_batch, t.seed, epoch, /*shuffle=*/true);
  const int64_t steps =
      s.steps_per_epoch > 0 ? std::min(plan.steps(), s.steps_per_epoch) : plan.steps();
  Augmentation augmentation;
  augmentation.enabled = s.augment;
  t.train_images.start_epoch(plan, augmentation, t.seed, epoch);
  const double wait_before = t.reducer ? t.reducer->wait_seconds() : 0.0;
  DeviceSums totals(t.device);
  double images = 0.0;
  const auto start = Clock::now();
  StepParts parts{t.model, *t.optimizer, *t.gradients, t.reducer.get(), s.precision};
  for (int64_t step = 0; step < steps; ++step) {
    const auto [first, last] = plan.rank_positions(step, t.rank, t.ranks);
    const Batch batch = last > first ? t.train_images.batch(first, last) : Batch{};
    train_step(parts, batch, double(plan.global_batch_size(step)), totals.loss);
    images += double(last - first);
    ++steps_taken;
  }
  std::vector<double> sums = {totals.loss.item<double>(), images};
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double wait = t.reducer ? t.reducer->wait_seconds() - wait_before : 0.0;
  // DistributedDataParallel's convention: rank 0's BatchNorm statistics are the model's.
  if (t.communicator() != nullptr && t.ranks > 1) broadcast_buffers(*t.model, *t.communicator(), 0);
  std::vector<double> epoch_sums = {sums[0], sums[1], wait, seconds, double(steps)};
  reduce_sum(t.communicator(), epoch_sums);
  return epoch_sums;
}

// Evaluates after an epoch and appends its history row; throws when the loss is not finite.
Evaluation record_epoch(Trainer& t, int epoch, const std::vector<double>& sums, TrainingHistory& h,
                        const std::function<void(const std::string&)>& log) {
  const double ranks = t.ranks;
  const double train_loss = sums[0] / std::max(1.0, sums[1]);
  if (!std::isfinite(train_loss))
    throw std::runtime_error("training diverged in epoch " + std::to_string(epoch + 1) +
                             ": train loss " + std::to_string(train_loss) +
                             " (a smaller lr may help)");
  const Evaluation evaluation = evaluate(t.model, t.test_images, t.s, t.communicator(), nullptr);
  const double steps = sums[4] / ranks;
  h.epoch.push_back(epoch + 1);
  h.train_loss.push_back(train_loss);
  h.test_loss.push_back(evaluation.loss);
  h.test_accuracy.push_back(evaluation.accuracy);
  h.lr.push_back(learning_rate(t.s, epoch));
  h.images_per_second.push_back(sums[1] / (sums[3] / ranks));
  h.seconds.push_back(sums[3] / ranks);
  // On a GPU the wait is queued on the compute stream and the host never blocks in it: the host
  // time would read ~0 whatever the network does, so it is not recorded there.
  const double wait_ms = 1000.0 * sums[2] / ranks / std::max(1.0, steps);  // 0 for one rank
  h.comm_wait_ms_per_step.push_back(t.device.is_cpu() ? wait_ms : std::nan(""));
  std::ostringstream line;
  line.precision(4);
  line << "epoch " << epoch + 1 << "/" << t.s.epochs << ": train loss " << train_loss
       << ", test loss " << evaluation.loss << ", accuracy " << evaluation.accuracy << ", lr "
       << h.lr.back() << ", " << h.images_per_second.back() << " images/s";
  if (t.reducer && t.device.is_cpu())
    line << ", comm wait " << h.comm_wait_ms_per_step.back() << " ms/step";
  log(line.str());
  return evaluation;
}

// After a saved epoch: stop here (stop_after_epochs reached, or a stop request on rank 0)?
bool stop_here(const Trainer& t, const TrainControl& control, int epochs_done) {
  if (control.checkpoint_dir.empty() || epochs_done >= t.s.epochs) return false;
  std::vector<double> stop = {0.0};
  if (t.rank == 0)
    stop[0] =
        (t.s.stop_after_epochs > 0 && epochs_done >= t.s.stop_after_epochs) || stop_requested();
  reduce_sum(t.communicator(), stop);  // the group stops together
  return stop[0] > 0;
}

}  // namespace

TrainingRun run_training(const TrainSettings& s, uint64_t seed, Communicator* group,
                         const TrainControl& control) {
  check_train_settings(s);
  auto log = [&](const std::string& line) {
    if (control.log && (group == nullptr || group->rank() == 0)) control.log(line);
  };
  if (s.threads > 0) torch::set_num_threads(s.threads);
  const torch::Device device = resolve_device(s, control);
  const c10::DeviceGuard on_device(device);  // this thread's current device, for what is implicit
  set_determinism(s.deterministic, device);
  set_cpu_convolutions(s.precision, device);
  Trainer t(s, seed, device, group);
  TrainingRun run;
  TrainingProgress progress = start_or_resume(t, control, log);
  const int first_epoch = progress.next_epoch;
  run.steps = progress.steps;
  log("resnet-" + std::to_string(s.depth) + " (" + s.block + ", attention " + s.attention +
      "): " + std::to_string(t.parameters) + " parameters; " + std::to_string(t.ranks) +
      " rank(s), backend " + (t.communicator() ? t.communicator()->backend() : "none"));
  if (t.communicator() != nullptr)
    t.reducer = std::make_unique<GradientReducer>(*t.gradients, *t.communicator(),
                                                  size_t(s.bucket_mb * 1024.0 * 1024.0));
  for (int epoch = first_epoch; epoch < s.epochs; ++epoch) {
    const std::vector<double> sums = train_epoch(t, epoch, run.steps);
    record_epoch(t, epoch, sums, progress.history, log);
    progress.next_epoch = epoch + 1;
    progress.steps = run.steps;
    if (!control.checkpoint_dir.empty()) {
      if (t.rank == 0)
        save_training_checkpoint(control.checkpoint_dir, t.model, *t.optimizer, progress);
      if (t.communicator() != nullptr) t.communicator()->barrier();
    }
    if (stop_here(t, control, epoch + 1)) {
      run.epochs_done = epoch + 1;
      return run;
    }
  }
  run.epochs_done = s.epochs;
  StiffnessAccumulator stiffness;
  const Evaluation last = evaluate(t.model, t.test_images, s, t.communicator(), &stiffness);
  const int n = blocks_per_stage(t.config);
  reduce_statistics(t.communicator(), stiffness.nsi(), n - 1, 1);
  reduce_statistics(t.communicator(), stiffness.attention(), n, 0);
  run.final_parameters = flatten_parameters(t.model);
  TrainingFacts facts;
  facts.parameter_count = t.parameters;
  facts.train_images = t.data.train.size();
  facts.test_images = t.data.test.size();
  facts.ranks = t.ranks;
  facts.backend = t.communicator() ? t.communicator()->backend() : "none";
  facts.device = t.device.str();
  facts.final_test_accuracy = last.accuracy;
  facts.final_test_loss = last.loss;
  facts.resumed_at_epoch = first_epoch;
  facts.steps = run.steps;
  facts.final_parameters_sha256 = sha256_of_floats(run.final_parameters);
  run.result = training_result(s, facts, progress.history, stiffness);
  run.finished = true;
  return run;
}

}  // namespace riskstep
