#include "jobs/train_stepnet.h"

#include <mpi.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "jobs/data_parallel.h"
#include "jobs/gzip_file.h"
#include "models/vision/cifar_reader.h"
#include "models/vision/idx_reader.h"
#include "models/vision/image_batches.h"
#include "models/vision/resnet.h"
#include "models/vision/stiffness.h"
#include "pipeline/mpi_communicator.h"
#include "pipeline/task.h"
#ifdef RISKSTEP_HAVE_NCCL
#include "pipeline/nccl_communicator.h"
#endif

namespace riskstep {

using Clock = std::chrono::steady_clock;
using namespace riskstep::vision;

TrainSettings train_settings_from_task(const Task& task) {
  TrainSettings s;
  s.dataset = param_string_or(task, "dataset", s.dataset);
  s.data_dir = param_string_or(task, "data_dir", s.data_dir);
  s.depth = int(param_int_or(task, "depth", s.depth));
  s.block = param_string_or(task, "block", s.block);
  s.attention = param_string_or(task, "attention", s.attention);
  s.attention_blocks = param_string_or(task, "attention_blocks", s.attention_blocks);
  s.epochs = int(param_int_or(task, "epochs", s.epochs));
  s.global_batch = param_int_or(task, "batch", s.global_batch);
  s.base_lr = param_double_or(task, "lr", s.base_lr);
  s.momentum = param_double_or(task, "momentum", s.momentum);
  s.weight_decay = param_double_or(task, "weight_decay", s.weight_decay);
  s.augment = param_bool_or(task, "augment", s.augment);
  s.train_subset = param_int_or(task, "train_subset", s.train_subset);
  s.test_subset = param_int_or(task, "test_subset", s.test_subset);
  s.steps_per_epoch = param_int_or(task, "steps_per_epoch", s.steps_per_epoch);
  s.nsi_samples = param_int_or(task, "nsi_samples", s.nsi_samples);
  s.bucket_mb = param_double_or(task, "bucket_mb", s.bucket_mb);
  s.threads = int(param_int_or(task, "threads", s.threads));
  s.backend = param_string_or(task, "backend", s.backend);
  s.device = param_string_or(task, "device", s.device);
  s.freeze_batchnorm = param_bool_or(task, "freeze_bn", s.freeze_batchnorm);
  s.stop_after_epochs = int(param_int_or(task, "stop_after_epochs", s.stop_after_epochs));
  return s;
}

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

void check_settings(const TrainSettings& s) {
  auto fail = [](const std::string& field, const std::string& expected) {
    throw std::invalid_argument(field + ": expected " + expected);
  };
  if (s.dataset != "fashion-mnist" && s.dataset != "cifar10" && s.dataset != "cifar100")
    fail("dataset", "fashion-mnist, cifar10 or cifar100, got '" + s.dataset + "'");
  if (s.dataset != "fashion-mnist" && s.data_dir.empty())
    fail("data_dir", "the directory with the CIFAR binary batches for dataset " + s.dataset);
  if (s.block != "basic" && s.block != "bottleneck")
    fail("block", "basic or bottleneck, got '" + s.block + "'");
  if (s.epochs < 1) fail("epochs", "at least 1");
  if (s.global_batch < 1) fail("batch", "at least 1");
  if (s.bucket_mb <= 0) fail("bucket_mb", "a positive size in MB");
  if (s.backend != "auto" && s.backend != "mpi" && s.backend != "nccl")
    fail("backend", "auto, mpi or nccl, got '" + s.backend + "'");
  if (s.device != "cpu" && s.device != "cuda")
    fail("device", "cpu or cuda, got '" + s.device + "'");
}

struct Data {
  ImageDataset train, test;
  Normalization normalization;
};

Data load_data(const TrainSettings& s) {
  Data data;
  if (s.dataset == "fashion-mnist") {
    const std::string dir = s.data_dir.empty() ? kFashionMnistDir : s.data_dir;
    data.train = load_fashion_mnist(dir, true, read_maybe_gzipped);
    data.test = load_fashion_mnist(dir, false, read_maybe_gzipped);
  } else {
    const int classes = s.dataset == "cifar10" ? 10 : 100;
    data.train = load_cifar(s.data_dir, classes, true, read_maybe_gzipped);
    data.test = load_cifar(s.data_dir, classes, false, read_maybe_gzipped);
  }
  data.normalization = channel_statistics(data.train);  // from the full training set
  data.train = head(data.train, s.train_subset);
  data.test = head(data.test, s.test_subset);
  return data;
}

// The communicator gradients travel through: the task's group for MPI, a fresh NCCL
// communicator over the same ranks for NCCL.
struct GradientChannel {
  std::unique_ptr<Communicator> owned;
  Communicator* communicator = nullptr;
};

GradientChannel open_channel(const TrainSettings& s, Communicator* group) {
  const std::string backend =
      s.backend == "auto" ? (s.device == "cuda" ? "nccl" : "mpi") : s.backend;
  if (backend == "nccl" && s.device != "cuda")
    throw std::invalid_argument(
        "backend: nccl reduces CUDA tensors; use --device cuda or --backend mpi");
  if (backend == "mpi" && s.device == "cuda")
    throw std::invalid_argument(
        "backend: mpi reduces host memory; use --backend nccl with --device cuda");
  GradientChannel channel;
  int mpi_ready = 0;
  MPI_Initialized(&mpi_ready);
  MPI_Comm comm = MPI_COMM_SELF;
  if (group != nullptr) {
    auto* mpi_group = dynamic_cast<MpiCommunicator*>(group);
    if (mpi_group != nullptr)
      comm = mpi_group->comm();
    else if (backend == "nccl")
      throw std::invalid_argument("backend: nccl needs an MPI group to bootstrap");
  }
  if (backend == "mpi") {
    if (group != nullptr) {
      channel.communicator = group;
    } else if (mpi_ready) {
      channel.owned = std::make_unique<MpiCommunicator>(MPI_COMM_SELF);
      channel.communicator = channel.owned.get();
    }
    return channel;
  }
#ifdef RISKSTEP_HAVE_NCCL
  if (!mpi_ready) throw std::runtime_error("backend: nccl needs MPI to exchange the NCCL id");
  channel.owned = std::make_unique<NcclCommunicator>(comm);
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
Evaluation evaluate(ResNet& model, const Data& data, const TrainSettings& s, torch::Device device,
                    Communicator* communicator, StiffnessAccumulator* stiffness) {
  torch::NoGradGuard no_grad;
  model->eval();
  const int ranks = communicator == nullptr ? 1 : communicator->size();
  const int rank = communicator == nullptr ? 0 : communicator->rank();
  const int64_t n = data.test.size();
  const EpochPlan plan(n, n, 0, 0, /*shuffle=*/false);
  const int64_t first = n * rank / ranks, last = n * (rank + 1) / ranks;
  const int64_t nsi_limit = s.nsi_samples > 0 ? std::min(n, s.nsi_samples) : n;
  std::vector<double> sums = {0.0, 0.0, 0.0};  // loss sum, correct, count
  const int64_t eval_batch = 500;
  int64_t begin = first;
  while (begin < last) {
    int64_t end = std::min(last, begin + eval_batch);
    // Batches end at the NSI limit, so the traced part is exactly the first nsi_samples images.
    if (stiffness != nullptr && begin < nsi_limit && end > nsi_limit) end = nsi_limit;
    const Batch batch =
        make_batch(data.test, plan, begin, end, data.normalization, Augmentation{}, 0, 0);
    const bool traced = stiffness != nullptr && begin < nsi_limit;
    ForwardOutput output = model->forward_traced(batch.images.to(device), traced);
    const auto labels = batch.labels.to(device);
    sums[0] += torch::nn::functional::cross_entropy(
                   output.logits, labels,
                   torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                   .item<double>();
    sums[1] += output.logits.argmax(1).eq(labels).sum().item<double>();
    sums[2] += double(end - begin);
    if (traced) stiffness->add(output.traces);
    begin = end;
  }
  reduce_sum(communicator, sums);
  Evaluation evaluation;
  evaluation.loss = sums[0] / sums[2];
  evaluation.accuracy = sums[1] / sums[2];
  return evaluation;
}

std::string checkpoint_path(const std::string& dir) {
  return dir + "/checkpoint.pt";
}

torch::Tensor string_tensor(const std::string& text) {
  return torch::tensor(std::vector<int64_t>(text.begin(), text.end()), torch::kInt64);
}

std::string tensor_string(const torch::Tensor& tensor) {
  std::string text;
  const auto values = tensor.to(torch::kCPU).contiguous();
  for (int64_t i = 0; i < values.numel(); ++i) text.push_back(char(values.data_ptr<int64_t>()[i]));
  return text;
}

// Model, optimiser, next epoch and the generator state, written to a temp file and renamed.
void save_checkpoint(const std::string& dir, const std::string& run_id, ResNet& model,
                     torch::optim::SGD& optimizer, int next_epoch, int64_t steps) {
  std::filesystem::create_directories(dir);
  torch::serialize::OutputArchive archive, model_archive, optimizer_archive;
  model->save(model_archive);
  optimizer.save(optimizer_archive);
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("next_epoch", torch::tensor(int64_t(next_epoch)));
  archive.write("steps", torch::tensor(steps));
  archive.write("run_id", string_tensor(run_id));
  archive.write("rng_state", at::detail::getDefaultCPUGenerator().get_state());
  const std::string path = checkpoint_path(dir);
  archive.save_to(path + ".tmp");
  std::filesystem::rename(path + ".tmp", path);
}

// Returns the next epoch to run (0 when there is no checkpoint of this run).
int load_checkpoint(const std::string& dir, const std::string& run_id, ResNet& model,
                    torch::optim::SGD& optimizer, int64_t& steps, torch::Device device) {
  const std::string path = checkpoint_path(dir);
  if (!std::filesystem::exists(path)) return 0;
  torch::serialize::InputArchive archive, model_archive, optimizer_archive;
  archive.load_from(path, device);
  torch::Tensor id, next_epoch, step_count, rng_state;
  archive.read("run_id", id);
  if (tensor_string(id) != run_id) return 0;  // someone else's checkpoint: start afresh
  archive.read("model", model_archive);
  archive.read("optimizer", optimizer_archive);
  model->load(model_archive);
  optimizer.load(optimizer_archive);
  archive.read("next_epoch", next_epoch);
  archive.read("steps", step_count);
  archive.read("rng_state", rng_state);
  at::Generator generator = at::detail::getDefaultCPUGenerator();  // a handle to the global one
  generator.set_state(rng_state.to(torch::kCPU));
  steps = step_count.item<int64_t>();
  return int(next_epoch.item<int64_t>());
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

}  // namespace

TrainingRun run_training(const TrainSettings& s, uint64_t seed, const std::string& run_id,
                         Communicator* group, const TrainControl& control) {
  check_settings(s);
  auto log = [&](const std::string& line) {
    if (control.log && (group == nullptr || group->rank() == 0)) control.log(line);
  };
  if (s.threads > 0) torch::set_num_threads(s.threads);
  if (s.device == "cuda" && !torch::cuda::is_available())
    throw std::invalid_argument(
        "device: cuda requested but this LibTorch sees no CUDA GPU (CPU-only build or no device)");
  const torch::Device device(s.device == "cuda" ? torch::kCUDA : torch::kCPU);
  const Data data = load_data(s);

  ResNetConfig config;
  config.depth = s.depth;
  config.block = s.block == "basic" ? BlockKind::basic : BlockKind::bottleneck;
  config.in_channels = data.train.channels();
  config.num_classes = data.train.num_classes;
  config.attention = parse_attention(s.attention);
  config.attention_blocks = parse_block_list(s.attention_blocks);
  torch::manual_seed(seed);
  ResNet model(config);
  model->to(device);
  const int64_t parameters = parameter_count(*model);

  GradientChannel channel = open_channel(s, group);
  Communicator* communicator = channel.communicator;
  const int ranks = communicator == nullptr ? 1 : communicator->size();
  const int rank = communicator == nullptr ? 0 : communicator->rank();
  if (communicator != nullptr) broadcast_module_state(*model, *communicator, 0);

  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(learning_rate(s, 0))
                                                       .momentum(s.momentum)
                                                       .weight_decay(s.weight_decay));
  TrainingRun run;
  int first_epoch = 0;
  if (control.resume && !control.checkpoint_dir.empty()) {
    first_epoch =
        load_checkpoint(control.checkpoint_dir, run_id, *&model, optimizer, run.steps, device);
    if (first_epoch > 0)
      log("resumed from " + checkpoint_path(control.checkpoint_dir) + " at epoch " +
          std::to_string(first_epoch + 1));
  }
  log("resnet-" + std::to_string(s.depth) + " (" + s.block + ", attention " + s.attention +
      "): " + std::to_string(parameters) + " parameters; " + std::to_string(ranks) +
      " rank(s), backend " + (communicator ? communicator->backend() : std::string("none")));

  std::unique_ptr<GradientReducer> reducer;
  if (communicator != nullptr)
    reducer = std::make_unique<GradientReducer>(model->parameters(), *communicator,
                                                size_t(s.bucket_mb * 1024.0 * 1024.0));

  std::vector<int64_t> history_epoch;
  std::vector<double> history_train_loss, history_test_loss, history_accuracy, history_lr,
      history_rate, history_seconds, history_wait;
  Evaluation last;
  const int last_epoch =
      s.stop_after_epochs > 0 ? std::min(s.epochs, s.stop_after_epochs) : s.epochs;
  for (int epoch = first_epoch; epoch < last_epoch; ++epoch) {
    const double lr = learning_rate(s, epoch);
    set_learning_rate(optimizer, lr);
    model->train();
    if (s.freeze_batchnorm) freeze_batchnorm(model);
    const EpochPlan plan(data.train.size(), s.global_batch, seed, epoch, /*shuffle=*/true);
    const int64_t steps =
        s.steps_per_epoch > 0 ? std::min(plan.steps(), s.steps_per_epoch) : plan.steps();
    Augmentation augmentation;
    augmentation.enabled = s.augment;
    const double wait_before = reducer ? reducer->wait_seconds() : 0.0;
    std::vector<double> train_sums = {0.0, 0.0};  // loss sum, images
    const auto start = Clock::now();
    for (int64_t step = 0; step < steps; ++step) {
      const auto [first, last_position] = plan.rank_positions(step, rank, ranks);
      const double global_n = double(plan.global_batch_size(step));
      optimizer.zero_grad();
      if (last_position > first) {
        const Batch batch = make_batch(data.train, plan, first, last_position, data.normalization,
                                       augmentation, seed, epoch);
        const auto logits = model->forward(batch.images.to(device));
        const auto loss_sum = torch::nn::functional::cross_entropy(
            logits, batch.labels.to(device),
            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
        // Normalised by the global batch: the sum over ranks is the global mean gradient.
        (loss_sum / global_n).backward();
        train_sums[0] += loss_sum.item<double>();
        train_sums[1] += double(last_position - first);
      }
      if (reducer) reducer->synchronize();
      optimizer.step();
      ++run.steps;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double wait = reducer ? reducer->wait_seconds() - wait_before : 0.0;
    // DistributedDataParallel's convention: rank 0's BatchNorm statistics are the model's.
    if (communicator != nullptr && ranks > 1) broadcast_buffers(*model, *communicator, 0);
    std::vector<double> epoch_sums = {train_sums[0], train_sums[1], wait, seconds};
    reduce_sum(communicator, epoch_sums);

    last = evaluate(model, data, s, device, communicator, nullptr);
    history_epoch.push_back(epoch + 1);
    history_train_loss.push_back(epoch_sums[0] / std::max(1.0, epoch_sums[1]));
    history_test_loss.push_back(last.loss);
    history_accuracy.push_back(last.accuracy);
    history_lr.push_back(lr);
    history_rate.push_back(epoch_sums[1] / (epoch_sums[3] / ranks));
    history_seconds.push_back(epoch_sums[3] / ranks);
    history_wait.push_back(1000.0 * epoch_sums[2] / ranks / double(std::max<int64_t>(1, steps)));
    std::ostringstream line;
    line.precision(4);
    line << "epoch " << epoch + 1 << "/" << s.epochs << ": train loss " << history_train_loss.back()
         << ", test loss " << last.loss << ", accuracy " << last.accuracy << ", lr " << lr << ", "
         << history_rate.back() << " images/s, comm wait " << history_wait.back() << " ms/step";
    log(line.str());

    if (!control.checkpoint_dir.empty()) {
      if (rank == 0)
        save_checkpoint(control.checkpoint_dir, run_id, model, optimizer, epoch + 1, run.steps);
      if (communicator != nullptr) communicator->barrier();
    }
  }

  StiffnessAccumulator stiffness;
  last = evaluate(model, data, s, device, communicator, &stiffness);
  const int n = blocks_per_stage(config);
  reduce_statistics(communicator, stiffness.nsi(), n - 1, 1);
  reduce_statistics(communicator, stiffness.attention(), n, 0);

  Result& result = run.result;
  result.attributes["dataset"] = s.dataset;
  result.attributes["attention"] = s.attention;
  result.attributes["attention_blocks"] =
      s.attention_blocks.empty() ? std::string("all") : s.attention_blocks;
  result.attributes["depth"] = int64_t(s.depth);
  result.attributes["block"] = s.block;
  result.attributes["parameter_count"] = parameters;
  result.attributes["final_test_accuracy"] = last.accuracy;
  result.attributes["final_test_loss"] = last.loss;
  result.attributes["training_ranks"] = int64_t(ranks);
  result.attributes["backend"] = communicator ? communicator->backend() : std::string("none");
  result.attributes["device"] = s.device;
  result.attributes["global_batch"] = s.global_batch;
  result.attributes["epochs"] = int64_t(s.epochs);
  result.attributes["steps_per_epoch"] = s.steps_per_epoch;
  result.attributes["train_images"] = data.train.size();
  result.attributes["test_images"] = data.test.size();
  result.attributes["nsi_images"] =
      s.nsi_samples > 0 ? std::min(s.nsi_samples, data.test.size()) : data.test.size();
  result.attributes["resumed_at_epoch"] = int64_t(first_epoch);
  result.attributes["steps"] = run.steps;
  Table history;
  history.add("epoch", history_epoch)
      .add("train_loss", history_train_loss)
      .add("test_loss", history_test_loss)
      .add("test_accuracy", history_accuracy)
      .add("lr", history_lr)
      .add("images_per_second", history_rate)
      .add("seconds", history_seconds)
      .add("comm_wait_ms_per_step", history_wait);
  result.tables["history"] = history;
  result.tables["nsi"] = statistics_table(stiffness.nsi());
  result.tables["attention"] = statistics_table(stiffness.attention());

  double nsi_sum = 0.0;
  int64_t nsi_count = 0;
  for (const auto& entry : stiffness.nsi()) {
    nsi_sum += entry.sum;
    nsi_count += entry.count;
  }
  double mean_rate = 0.0;
  for (double rate : history_rate) mean_rate += rate / double(history_rate.size());
  result.summary.add("attention", std::vector<std::string>{s.attention})
      .add("depth", std::vector<int64_t>{s.depth})
      .add("parameter_count", std::vector<int64_t>{parameters})
      .add("final_test_accuracy", std::vector<double>{last.accuracy})
      .add("nsi_mean", std::vector<double>{nsi_count > 0 ? nsi_sum / double(nsi_count) : 0.0})
      .add("images_per_second", std::vector<double>{history_rate.empty() ? 0.0 : mean_rate});
  run.final_parameters = flatten_parameters(model);
  return run;
}

Result TrainStepnetJob::run(const Task& task, const TaskContext& context) {
  TrainControl control;
  control.resume = resume_;
  control.checkpoint_dir = context.checkpoint_dir;
  control.log = context.log;
  return run_training(train_settings_from_task(task), task.seed, task.id, context.group, control)
      .result;
}

std::unique_ptr<Job> make_train_stepnet_job() {
  return std::make_unique<TrainStepnetJob>();
}

}  // namespace riskstep
