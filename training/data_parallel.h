#pragma once
// Data-parallel gradient averaging, the way PyTorch's DistributedDataParallel does it, written
// out plainly: parameters are grouped into size-capped buckets in reverse registration order
// (roughly the order backward produces their gradients). The gradients already live in one flat
// buffer (flat_gradients.h) where each bucket is a contiguous range; a hook that runs after
// autograd has accumulated a parameter's gradient counts it, and when a bucket is complete its
// allreduce starts at once on that range, so communication overlaps the rest of backward and no
// gradient is copied. Buckets start strictly in index order (a full bucket waits for the ones
// before it): collectives must be issued in the same order on every rank, whatever order
// autograd happens to produce gradients in. synchronize() waits for the buckets; .grad then
// holds the sum.
#include <torch/torch.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "pipeline/comm/communicator.h"
#include "training/flat_gradients.h"

namespace riskstep {

// Parameter indices per bucket, filled in reverse index order; a bucket closes before it would
// exceed `cap_bytes` (a parameter larger than the cap gets a bucket of its own).
std::vector<std::vector<size_t>> plan_buckets(const std::vector<size_t>& parameter_bytes,
                                              size_t cap_bytes);

// Copies every parameter and buffer of `module` from rank `root` to all ranks.
void broadcast_module_state(torch::nn::Module& module, Communicator& communicator, int root = 0);
void broadcast_buffers(torch::nn::Module& module, Communicator& communicator, int root = 0);

class GradientReducer {
 public:
  // `gradients` must outlive the reducer and stay zeroed between steps by its zero().
  GradientReducer(FlatGradients& gradients, Communicator& communicator, size_t bucket_cap_bytes);
  ~GradientReducer();  // waits for reductions in flight, removes the hooks
  GradientReducer(const GradientReducer&) = delete;
  GradientReducer& operator=(const GradientReducer&) = delete;

  // After backward: every .grad holds the sum over ranks. Between backward and synchronize()
  // .grad is being reduced in place: do not read it there. Callers normalise the loss by the
  // global batch size, so the sum is the mean gradient of the global batch.
  void synchronize();

  size_t bucket_count() const { return buckets_.size(); }
  const std::vector<std::vector<size_t>>& plan() const { return plan_; }
  // Total host time blocked in synchronize(). Only meaningful for host buffers: on a GPU the
  // wait is queued on the compute stream and returns at once.
  double wait_seconds() const { return wait_seconds_; }

 private:
  struct Bucket {
    size_t members = 0;
    torch::Tensor range;  // the members' gradients: a view of the flat buffer
    size_t ready = 0;     // members whose gradient has been accumulated this step
    std::unique_ptr<PendingReduction> pending;
  };
  void on_accumulated(size_t parameter);
  void launch(Bucket& bucket);

  FlatGradients& gradients_;
  Communicator& communicator_;
  std::vector<std::vector<size_t>> plan_;
  std::vector<Bucket> buckets_;
  std::vector<size_t> bucket_of_;  // parameter -> bucket
  std::vector<bool> arrived_;
  // Each parameter's gradient accumulator and our hook on it. Holding the accumulators keeps
  // them (and the hooks) alive: autograd itself only keeps a weak reference between steps.
  std::vector<std::shared_ptr<torch::autograd::Node>> accumulators_;
  std::vector<uintptr_t> hooks_;
  size_t next_launch_ = 0;  // buckets before this one have started
  double wait_seconds_ = 0.0;
};

ElementType element_type_of(const torch::Tensor& tensor);

}  // namespace riskstep
