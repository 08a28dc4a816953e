#include "training/data_parallel.h"

#include <torch/csrc/autograd/utils/lambda_post_hook.h>

#include <chrono>
#include <stdexcept>

namespace riskstep {

ElementType element_type_of(const torch::Tensor& tensor) {
  switch (tensor.scalar_type()) {
    case torch::kFloat32:
      return ElementType::float32;
    case torch::kFloat64:
      return ElementType::float64;
    case torch::kInt64:
      return ElementType::int64;
    default:
      throw std::invalid_argument(std::string("data parallel: unsupported tensor type ") +
                                  c10::toString(tensor.scalar_type()));
  }
}

std::vector<std::vector<size_t>> plan_buckets(const std::vector<size_t>& parameter_bytes,
                                              size_t cap_bytes) {
  std::vector<std::vector<size_t>> buckets;
  std::vector<size_t> current;
  size_t current_bytes = 0;
  for (size_t k = parameter_bytes.size(); k-- > 0;) {
    if (!current.empty() && current_bytes + parameter_bytes[k] > cap_bytes) {
      buckets.push_back(current);
      current.clear();
      current_bytes = 0;
    }
    current.push_back(k);
    current_bytes += parameter_bytes[k];
  }
  if (!current.empty()) buckets.push_back(current);
  return buckets;
}

namespace {
// Any memory format (bf16 runs keep convolution weights channels-last): the values travel in
// logical order through a contiguous copy when the tensor is not contiguous itself.
void broadcast_tensor(torch::Tensor tensor, Communicator& communicator, int root) {
  torch::Tensor dense = tensor.contiguous();
  communicator.broadcast(dense.data_ptr(), size_t(dense.numel()), element_type_of(dense), root);
  if (!dense.is_same(tensor)) tensor.copy_(dense);
}
}  // namespace

void broadcast_buffers(torch::nn::Module& module, Communicator& communicator, int root) {
  torch::NoGradGuard no_grad;
  for (auto& buffer : module.buffers()) broadcast_tensor(buffer, communicator, root);
}

void broadcast_module_state(torch::nn::Module& module, Communicator& communicator, int root) {
  torch::NoGradGuard no_grad;
  for (auto& parameter : module.parameters()) broadcast_tensor(parameter, communicator, root);
  broadcast_buffers(module, communicator, root);
}

GradientReducer::GradientReducer(FlatGradients& gradients, Communicator& communicator,
                                 size_t bucket_cap_bytes)
    : gradients_(gradients), communicator_(communicator) {
  const std::vector<torch::Tensor>& parameters = gradients_.parameters();
  std::vector<size_t> bytes;
  for (const auto& p : parameters) bytes.push_back(size_t(p.numel()) * p.element_size());
  plan_ = plan_buckets(bytes, bucket_cap_bytes);
  bucket_of_.resize(parameters.size());
  arrived_.assign(parameters.size(), false);
  // Both plan and buffer run in reverse index order: a bucket spans from its first member's
  // offset to the start of the next bucket's first member (or the buffer's end).
  const int64_t total = gradients_.flat().defined() ? gradients_.flat().numel() : 0;
  for (size_t b = 0; b < plan_.size(); ++b) {
    for (size_t member : plan_[b]) bucket_of_[member] = b;
    const int64_t begin = gradients_.offset(plan_[b].front());
    const int64_t end = b + 1 < plan_.size() ? gradients_.offset(plan_[b + 1].front()) : total;
    Bucket bucket;
    bucket.members = plan_[b].size();
    bucket.range = gradients_.flat().narrow(0, begin, end - begin);
    buckets_.push_back(std::move(bucket));
  }
  for (size_t i = 0; i < parameters.size(); ++i) {
    accumulators_.push_back(torch::autograd::impl::grad_accumulator(parameters[i]));
    hooks_.push_back(accumulators_.back()->add_post_hook(
        std::make_unique<torch::autograd::utils::LambdaPostHook>(
            [this, i](const torch::autograd::variable_list& outputs,
                      const torch::autograd::variable_list&) {
              on_accumulated(i);
              return outputs;
            })));
  }
}

GradientReducer::~GradientReducer() {
  for (auto& bucket : buckets_) bucket.pending.reset();  // waits for anything still in flight
  for (size_t i = 0; i < accumulators_.size(); ++i) accumulators_[i]->del_post_hook(hooks_[i]);
}

void GradientReducer::on_accumulated(size_t parameter) {
  if (arrived_[parameter])
    throw std::logic_error(
        "GradientReducer: parameter " + std::to_string(parameter) +
        " got two gradients in one step (call synchronize() after each backward)");
  arrived_[parameter] = true;
  ++buckets_[bucket_of_[parameter]].ready;
  while (next_launch_ < buckets_.size() &&
         buckets_[next_launch_].ready == buckets_[next_launch_].members)
    launch(buckets_[next_launch_++]);
  // MPI progresses non-blocking collectives only inside MPI calls: poke the ones in flight.
  for (auto& other : buckets_)
    if (other.pending) other.pending->test();
}

void GradientReducer::launch(Bucket& bucket) {
  bucket.pending = communicator_.allreduce_sum_async(
      bucket.range.data_ptr(), size_t(bucket.range.numel()), element_type_of(bucket.range));
}

void GradientReducer::synchronize() {
  const auto start = std::chrono::steady_clock::now();
  // A parameter that took no part in this step (or a rank with no images in it) keeps the zero
  // its segment was given by FlatGradients::zero().
  for (; next_launch_ < buckets_.size(); ++next_launch_) launch(buckets_[next_launch_]);
  next_launch_ = 0;
  for (auto& bucket : buckets_) {
    bucket.pending->wait();
    bucket.pending.reset();
    bucket.ready = 0;
  }
  arrived_.assign(arrived_.size(), false);
  wait_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace riskstep
