#include "jobs/train_stepnet/train_stepnet.h"

#include <mpi.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "jobs/train_stepnet/compute_mode.h"
#include "jobs/train_stepnet/data_parallel.h"
#include "jobs/train_stepnet/gzip_file.h"
#include "jobs/train_stepnet/multi_tensor_sgd.h"
#include "jobs/train_stepnet/stepnet_table.h"
#include "jobs/train_stepnet/training_checkpoint.h"
#include "jobs/train_stepnet/training_step.h"
#include "models/vision/cifar_reader.h"
#include "models/vision/device_batches.h"
#include "models/vision/idx_reader.h"
#include "models/vision/image_batches.h"
#include "models/vision/resnet.h"
#include "models/vision/stiffness.h"
#include "pipeline/comm/mpi_communicator.h"
#include "pipeline/core/sha256.h"
#include "pipeline/engine/checkpoint_dir.h"
#include "pipeline/engine/stop_signal.h"
#ifdef RISKSTEP_HAVE_NCCL
#include "pipeline/comm/nccl_communicator.h"
#endif
#ifdef RISKSTEP_TORCH_CUDA
#include <c10/cuda/CUDAStream.h>
#endif

namespace riskstep {

using Clock = std::chrono::steady_clock;
using namespace riskstep::vision;

namespace {

std::vector<int> parse_block_list(const std::string& text) {
  std::vector<int> blocks;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (item.empty()) continue;
    try {
      blocks.push_back(std::stoi(item));
    } catch (const std::exception&) {
      throw std::invalid_argument(
          "attention_blocks: expected comma-separated block indices, got '" + text + "'");
    }
  }
  return blocks;
}

struct Data {
  ImageDataset train, test;
  Normalization normalization;
};

std::string data_dir(const TrainSettings& s) {
  return s.dataset == "fashion-mnist" && s.data_dir.empty() ? kFashionMnistDir : s.data_dir;
}

int cifar_classes(const TrainSettings& s) {
  return s.dataset == "cifar10" ? 10 : 100;
}

Data load_data(const TrainSettings& s) {
  Data data;
  if (s.dataset == "fashion-mnist") {
    data.train = load_fashion_mnist(data_dir(s), true, read_maybe_gzipped);
    data.test = load_fashion_mnist(data_dir(s), false, read_maybe_gzipped);
  } else {
    data.train = load_cifar(data_dir(s), cifar_classes(s), true, read_maybe_gzipped);
    data.test = load_cifar(data_dir(s), cifar_classes(s), false, read_maybe_gzipped);
  }
  data.normalization = channel_statistics(data.train);  // from the full training set
  data.train = head(data.train, s.train_subset);
  data.test = head(data.test, s.test_subset);
  return data;
}

// The communicator gradients travel through: the task's group for MPI, a fresh NCCL
// communicator over the same ranks for NCCL, none for one rank.
struct GradientChannel {
  std::unique_ptr<Communicator> owned;
  Communicator* communicator = nullptr;
};

GradientChannel open_channel(const TrainSettings& s, torch::Device device, Communicator* group) {
  const bool on_cuda = device.is_cuda();
  const std::string backend = s.backend == "auto" ? (on_cuda ? "nccl" : "mpi") : s.backend;
  if (backend == "nccl" && !on_cuda)
    throw std::invalid_argument(
        "setting 'backend': nccl reduces CUDA tensors; use --device cuda or --backend mpi");
  if (backend == "mpi" && on_cuda)
    throw std::invalid_argument(
        "setting 'backend': mpi reduces host memory; use --backend nccl with --device cuda");
  // One rank has nothing to reduce: no communicator, no gradient buckets, and no MPI call from
  // the sweep's helper thread that runs single-rank tasks (pipeline/engine/farm.h).
  if (group == nullptr || group->size() == 1) return {};
  GradientChannel channel;
  if (backend == "mpi") {
    channel.communicator = group;
    return channel;
  }
  auto* mpi_group = dynamic_cast<MpiCommunicator*>(group);
  if (mpi_group == nullptr)
    throw std::invalid_argument("backend: nccl needs an MPI group to bootstrap");
  const MPI_Comm comm = mpi_group->comm();
#ifdef RISKSTEP_HAVE_NCCL
  std::function<cudaStream_t()> compute_stream;  // without LibTorch CUDA: the legacy stream
#ifdef RISKSTEP_TORCH_CUDA
  compute_stream = [] { return c10::cuda::getCurrentCUDAStream().stream(); };
#endif
  channel.owned = std::make_unique<NcclCommunicator>(comm, device.index(), compute_stream);
  channel.communicator = channel.owned.get();
  return channel;
#else
  (void)comm;
  throw std::runtime_error(
      "backend: this riskstep was built without NCCL (CUDA + NCCL not found at configure time)");
#endif
}

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

// Sums doubles over the group (no-op alone).
void reduce_sum(Communicator* communicator, std::vector<double>& values) {
  if (communicator != nullptr && communicator->size() > 1)
    communicator->allreduce_sum(values.data(), values.size(), ElementType::float64);
}

// Merges per-rank statistics: each rank fills its slot of a zeroed array, the sum gathers them.
// Entries are labelled (stage, first_block + index within stage), `per_stage` per stage.
void reduce_statistics(Communicator* communicator, std::vector<BlockStatistic>& statistics,
                       int per_stage, int first_block) {
  const size_t expected = size_t(3 * per_stage);
  statistics.resize(expected);
  const int ranks = communicator == nullptr ? 1 : communicator->size();
  const int rank = communicator == nullptr ? 0 : communicator->rank();
  std::vector<double> slots(size_t(ranks) * expected * 4, 0.0);
  for (size_t i = 0; i < expected; ++i) {
    double* slot = &slots[(size_t(rank) * expected + i) * 4];
    slot[0] = statistics[i].sum;
    slot[1] = double(statistics[i].count);
    slot[2] = statistics[i].min;
    slot[3] = statistics[i].max;
  }
  reduce_sum(communicator, slots);
  for (size_t i = 0; i < expected; ++i) {
    BlockStatistic merged;
    merged.stage = int(i) / per_stage;
    merged.block = first_block + int(i) % per_stage;
    for (int r = 0; r < ranks; ++r) {
      const double* slot = &slots[(size_t(r) * expected + i) * 4];
      merged.add(slot[0], slot[2], slot[3], int64_t(slot[1]));
    }
    statistics[i] = merged;
  }
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

Table statistics_table(const std::vector<BlockStatistic>& statistics) {
  std::vector<int64_t> stage, block, count;
  std::vector<double> mean, min, max;
  for (const auto& entry : statistics) {
    stage.push_back(entry.stage + 1);
    block.push_back(entry.block);
    mean.push_back(entry.mean());
    min.push_back(entry.min);
    max.push_back(entry.max);
    count.push_back(entry.count);
  }
  Table table;
  table.add("stage", stage)
      .add("block", block)
      .add("mean", mean)
      .add("min", min)
      .add("max", max)
      .add("count", count);
  return table;
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
  Data data;
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
        data(load_data(settings)),
        train_images(data.train, data.normalization, Augmentation{}.padding, on),
        test_images(data.test, data.normalization, Augmentation{}.padding, on) {
    config.depth = s.depth;
    config.block = s.block == "basic" ? BlockKind::basic : BlockKind::bottleneck;
    config.in_channels = data.train.channels();
    config.num_classes = data.train.num_classes;
    config.attention = parse_attention(s.attention);
    config.attention_blocks = parse_block_list(s.attention_blocks);
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

void fill_result(Trainer& t, const TrainingProgress& progress, const Evaluation& last,
                 StiffnessAccumulator& stiffness, int first_epoch, TrainingRun& run) {
  const TrainSettings& s = t.s;
  Result& result = run.result;
  result.attributes["dataset"] = s.dataset;
  result.attributes["attention"] = s.attention;
  result.attributes["attention_blocks"] =
      s.attention_blocks.empty() ? std::string("all") : s.attention_blocks;
  result.attributes["depth"] = int64_t(s.depth);
  result.attributes["block"] = s.block;
  result.attributes["parameter_count"] = t.parameters;
  result.attributes["final_test_accuracy"] = last.accuracy;
  result.attributes["final_test_loss"] = last.loss;
  result.attributes["training_ranks"] = int64_t(t.ranks);
  result.attributes["backend"] = t.communicator() ? t.communicator()->backend() : "none";
  result.attributes["device"] = t.device.str();
  result.attributes["precision"] = s.precision;
  result.attributes["deterministic"] = int64_t(s.deterministic);
  result.attributes["global_batch"] = s.global_batch;
  result.attributes["epochs"] = int64_t(s.epochs);
  result.attributes["steps_per_epoch"] = s.steps_per_epoch;
  result.attributes["train_images"] = t.data.train.size();
  result.attributes["test_images"] = t.data.test.size();
  result.attributes["nsi_images"] =
      s.nsi_samples > 0 ? std::min(s.nsi_samples, t.data.test.size()) : t.data.test.size();
  result.attributes["resumed_at_epoch"] = int64_t(first_epoch);
  result.attributes["steps"] = run.steps;
  result.attributes["final_parameters_sha256"] = sha256_of_floats(run.final_parameters);
  result.tables["history"] = progress.history.table();
  result.tables["nsi"] = statistics_table(stiffness.nsi());
  result.tables["attention"] = statistics_table(stiffness.attention());

  double nsi_sum = 0.0;
  int64_t nsi_count = 0;
  for (const auto& entry : stiffness.nsi()) {
    nsi_sum += entry.sum;
    nsi_count += entry.count;
  }
  const auto& rates = progress.history.images_per_second;
  double mean_rate = 0.0;
  for (double rate : rates) mean_rate += rate / double(rates.size());
  result.summary.add("attention", std::vector<std::string>{s.attention})
      .add("depth", std::vector<int64_t>{s.depth})
      .add("parameter_count", std::vector<int64_t>{t.parameters})
      .add("final_test_accuracy", std::vector<double>{last.accuracy})
      .add("nsi_mean", std::vector<double>{nsi_count > 0 ? nsi_sum / double(nsi_count) : 0.0})
      .add("images_per_second", std::vector<double>{rates.empty() ? 0.0 : mean_rate});
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
  fill_result(t, progress, last, stiffness, first_epoch, run);
  run.finished = true;
  return run;
}

namespace {

// sha256 of a file's bytes, cached per path, size and modification time: every rank of a sweep
// asks for it once per task.
std::string file_sha256(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::string> digests;
  const auto stamp = std::filesystem::last_write_time(path).time_since_epoch().count();
  const std::string key = std::filesystem::canonical(path).string() + "\n" +
                          std::to_string(std::filesystem::file_size(path)) + "\n" +
                          std::to_string(stamp);
  std::lock_guard<std::mutex> lock(mutex);
  auto it = digests.find(key);
  if (it == digests.end()) it = digests.emplace(key, sha256_file_hex(path)).first;
  return it->second;
}

// The images a task trains and tests on, by content (the bytes of the files the readers read, in
// their order), so the same files anywhere give the same task.
std::string image_data_digest(const Params& given) {
  const TrainSettings s = train_settings().read(given);
  check_train_settings(s);
  std::string digests;
  for (const bool train : {true, false}) {
    const auto files = s.dataset == "fashion-mnist"
                           ? fashion_mnist_files(data_dir(s), train)
                           : cifar_files(data_dir(s), cifar_classes(s), train);
    for (const auto& file : files) digests += file_sha256(file) + "\n";
  }
  return sha256_hex(digests);
}

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
  return kind;
}

}  // namespace riskstep
