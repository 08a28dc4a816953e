#pragma once
// Data-parallel gradient averaging, the way PyTorch's DistributedDataParallel does it, written
// out plainly: parameters are grouped into size-capped buckets in reverse registration order
// (roughly the order backward produces their gradients); an autograd hook copies each gradient
// into its bucket's flat buffer, and when a bucket is full its allreduce starts at once, so
// communication overlaps the rest of backward. Buckets start strictly in index order (a full
// bucket waits for the ones before it): collectives must be issued in the same order on every
// rank, whatever order autograd happens to produce gradients in. synchronize() waits for the
// buckets and writes the summed gradients back into .grad.
#include <torch/torch.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "pipeline/comm/communicator.h"

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
  GradientReducer(std::vector<torch::Tensor> parameters, Communicator& communicator,
                  size_t bucket_cap_bytes);
  ~GradientReducer();  // removes the hooks
  GradientReducer(const GradientReducer&) = delete;
  GradientReducer& operator=(const GradientReducer&) = delete;

  // After backward: every .grad holds the sum over ranks. Callers normalise the loss by the
  // global batch size, so the sum is the mean gradient of the global batch.
  void synchronize();

  size_t bucket_count() const { return buckets_.size(); }
  const std::vector<std::vector<size_t>>& plan() const { return plan_; }
  double wait_seconds() const { return wait_seconds_; }  // total time blocked in synchronize()

 private:
  struct Bucket {
    std::vector<size_t> members;   // parameter indices
    std::vector<int64_t> offsets;  // element offset of each member in `flat`
    torch::Tensor flat;            // concatenated gradients
    size_t ready = 0;              // members whose gradient has arrived this step
    std::unique_ptr<PendingReduction> pending;
  };
  void on_gradient(size_t parameter, const torch::Tensor& gradient);
  void launch(Bucket& bucket);

  std::vector<torch::Tensor> parameters_;
  Communicator& communicator_;
  std::vector<std::vector<size_t>> plan_;
  std::vector<Bucket> buckets_;
  std::vector<std::pair<size_t, size_t>> location_;  // parameter -> (bucket, member)
  std::vector<bool> arrived_;
  std::vector<unsigned> hooks_;
  size_t next_launch_ = 0;  // buckets before this one have started
  double wait_seconds_ = 0.0;
};

ElementType element_type_of(const torch::Tensor& tensor);

}  // namespace riskstep
