#include "jobs/train_stepnet/training_checkpoint.h"
#include "pipeline/process/interrupt.h"

#include <filesystem>
#include <stdexcept>
#include <type_traits>

namespace riskstep {

namespace {

torch::Tensor doubles(const std::vector<double>& values) {
  return torch::tensor(values, torch::kFloat64);
}

std::vector<double> read_doubles(torch::serialize::InputArchive& archive, const std::string& key) {
  torch::Tensor tensor;
  archive.read(key, tensor);
  tensor = tensor.to(torch::kCPU, torch::kFloat64).contiguous();
  return std::vector<double>(tensor.data_ptr<double>(), tensor.data_ptr<double>() + tensor.numel());
}

// The history columns by name, in one place for saving, loading and the result table.
template <typename History>  // TrainingHistory or const TrainingHistory
auto double_columns(History& h) {
  using Column =
      std::conditional_t<std::is_const_v<History>, const std::vector<double>, std::vector<double>>;
  return std::vector<std::pair<std::string, Column*>>{
      {"train_loss", &h.train_loss},
      {"test_loss", &h.test_loss},
      {"test_accuracy", &h.test_accuracy},
      {"lr", &h.lr},
      {"images_per_second", &h.images_per_second},
      {"seconds", &h.seconds},
      {"comm_wait_ms_per_step", &h.comm_wait_ms_per_step}};
}

}  // namespace

Table TrainingHistory::table() const {
  Table table;
  table.add("epoch", epoch);
  for (const auto& [name, column] : double_columns(*this)) table.add(name, *column);
  return table;
}

std::string checkpoint_file(const std::string& dir) {
  return dir + "/checkpoint.pt";
}

void save_training_checkpoint(const std::string& dir, vision::ResNet& model,
                              torch::optim::SGD& optimizer, const TrainingProgress& progress) {
  torch::serialize::OutputArchive archive, model_archive, optimizer_archive;
  model->save(model_archive);
  optimizer.save(optimizer_archive);
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("next_epoch", torch::tensor(int64_t(progress.next_epoch)));
  archive.write("steps", torch::tensor(progress.steps));
  archive.write("rng_state", at::detail::getDefaultCPUGenerator().get_state());
  archive.write("history/epoch", torch::tensor(progress.history.epoch, torch::kInt64));
  for (const auto& [name, column] : double_columns(progress.history))
    archive.write("history/" + name, doubles(*column));
  const std::string path = checkpoint_file(dir);
  CriticalWrite critical;  // an interrupt waits for the checkpoint to be complete
  archive.save_to(path + ".tmp");
  std::filesystem::rename(path + ".tmp", path);
}

TrainingProgress load_training_checkpoint(const std::string& dir, vision::ResNet& model,
                                          torch::optim::SGD& optimizer, torch::Device device) {
  const std::string path = checkpoint_file(dir);
  TrainingProgress progress;
  try {
    torch::serialize::InputArchive archive, model_archive, optimizer_archive;
    archive.load_from(path, device);
    archive.read("model", model_archive);
    archive.read("optimizer", optimizer_archive);
    model->load(model_archive);
    optimizer.load(optimizer_archive);
    torch::Tensor next_epoch, steps, rng_state, epochs;
    archive.read("next_epoch", next_epoch);
    archive.read("steps", steps);
    archive.read("rng_state", rng_state);
    archive.read("history/epoch", epochs);
    at::Generator generator = at::detail::getDefaultCPUGenerator();  // a handle to the global one
    generator.set_state(rng_state.to(torch::kCPU));
    progress.next_epoch = int(next_epoch.item<int64_t>());
    progress.steps = steps.item<int64_t>();
    epochs = epochs.to(torch::kCPU).contiguous();
    progress.history.epoch.assign(epochs.data_ptr<int64_t>(),
                                  epochs.data_ptr<int64_t>() + epochs.numel());
    for (const auto& [name, column] : double_columns(progress.history))
      *column = read_doubles(archive, "history/" + name);
  } catch (const c10::Error& error) {
    // LibTorch's message is a multi-line trace; the first line says what was wrong.
    const std::string what = error.what_without_backtrace();
    throw std::runtime_error(path + ": not a readable riskstep training checkpoint (" +
                             what.substr(0, what.find('\n')) +
                             "): remove it to start this training over");
  }
  return progress;
}

}  // namespace riskstep
