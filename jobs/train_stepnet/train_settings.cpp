#include "jobs/train_stepnet/train_settings.h"

#include <stdexcept>

#include "models/vision/resnet.h"

namespace riskstep {

const SettingsOf<TrainSettings>& train_settings() {
  using S = TrainSettings;
  static const auto bound =
      SettingsOf<S>()
          .identity("dataset", &S::dataset, "Dataset", {"fashion-mnist", "cifar10", "cifar100"})
          .input("data_dir", &S::data_dir,
                 "Data directory (fashion-mnist default: /usr/share/datasets/fashion-mnist)")
          .path()
          .identity("depth", &S::depth, "Depth: 6n+2 (basic) or 9n+2 (bottleneck)")
          .identity("block", &S::block, "Residual block", {"basic", "bottleneck"})
          .identity("attention", &S::attention, "Attention", {"none", "se", "stepnet"})
          .identity("attention_blocks", &S::attention_blocks,
                    "Global block indices with attention, e.g. 0,4,8 (default all)")
          .at_least(0)
          .distinct()
          .identity("epochs", &S::epochs, "Epochs (lr x0.1 at 50% and 75%)")
          .at_least(1)
          .identity("batch", &S::global_batch, "Global batch size over all ranks")
          .at_least(1)
          .identity("lr", &S::base_lr, "Learning rate for a global batch of 128 (scaled)")
          .between(0, 1000)
          .identity("momentum", &S::momentum, "SGD momentum")
          .at_least(0)
          .identity("weight_decay", &S::weight_decay, "SGD weight decay")
          .at_least(0)
          .identity("augment", &S::augment, "Random crop (pad 4) and horizontal flip")
          .identity("train_subset", &S::train_subset, "Use the first N training images (0 = all)")
          .at_least(0)
          .identity("test_subset", &S::test_subset, "Use the first N test images (0 = all)")
          .at_least(0)
          .identity("steps_per_epoch", &S::steps_per_epoch, "Cap steps per epoch (0 = full)")
          .at_least(0)
          .identity("nsi_samples", &S::nsi_samples, "Test images for NSI/attention (0 = all)")
          .at_least(0)
          .identity("freeze_bn", &S::freeze_batchnorm, "BatchNorm in eval mode while training")
          .identity("seed", &S::replicate, "Replicate number (a sweep axis: 0-2)")
          .at_least(0)
          .identity("precision", &S::precision, "Arithmetic of the forward pass", {"fp32", "bf16"})
          .run("bucket_mb", &S::bucket_mb, "Gradient bucket cap in MB")
          .above(0)
          .at_most(1e4)
          .run("threads", &S::threads, "Intra-op threads per rank (0 = LibTorch default)")
          .between(0, 1024)
          .run("backend", &S::backend, "Gradient reduction (auto: nccl on cuda, else mpi)",
               {"auto", "mpi", "nccl"})
          .run("device", &S::device, "Device (auto: the run's --device, cpu by default)",
               {"auto", "cpu", "cuda"})
          .run("stop_after_epochs", &S::stop_after_epochs,
               "Stop after this many epochs, resumable from the checkpoint (0 = off)")
          .at_least(0)
          .run("deterministic", &S::deterministic,
               "GPU: deterministic kernels, bit-identical reruns (--no-deterministic: faster)");
  return bound;
}

void check_train_settings(const TrainSettings& s) {
  auto fail = [](const std::string& field, const std::string& expected) {
    throw std::invalid_argument("setting '" + field + "': expected " + expected);
  };
  if (s.dataset != "fashion-mnist" && s.data_dir.empty())
    fail("data_dir", "the directory with the CIFAR binary batches for dataset " + s.dataset);
  vision::ResNetConfig config;
  config.depth = s.depth;
  config.block = s.block == "basic" ? vision::BlockKind::basic : vision::BlockKind::bottleneck;
  try {
    vision::blocks_per_stage(config);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("setting ") + error.what());
  }
}

}  // namespace riskstep
