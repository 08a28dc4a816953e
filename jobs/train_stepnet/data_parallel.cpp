#include "jobs/train_stepnet/data_parallel.h"

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

GradientReducer::GradientReducer(std::vector<torch::Tensor> parameters, Communicator& communicator,
                                 size_t bucket_cap_bytes)
    : parameters_(std::move(parameters)), communicator_(communicator) {
  std::vector<size_t> bytes;
  for (const auto& p : parameters_) {
    if (p.scalar_type() != parameters_.front().scalar_type() ||
        p.device() != parameters_.front().device())
      throw std::invalid_argument("GradientReducer: all parameters must share one type and device");
    bytes.push_back(size_t(p.numel()) * p.element_size());
  }
  plan_ = plan_buckets(bytes, bucket_cap_bytes);
  location_.resize(parameters_.size());
  arrived_.assign(parameters_.size(), false);
  for (size_t b = 0; b < plan_.size(); ++b) {
    Bucket bucket;
    bucket.members = plan_[b];
    int64_t elements = 0;
    for (size_t m = 0; m < bucket.members.size(); ++m) {
      location_[bucket.members[m]] = {b, m};
      bucket.offsets.push_back(elements);
      elements += parameters_[bucket.members[m]].numel();
    }
    bucket.flat = torch::zeros({elements}, parameters_.front().options().requires_grad(false));
    buckets_.push_back(std::move(bucket));
  }
  for (size_t i = 0; i < parameters_.size(); ++i) {
    hooks_.push_back(parameters_[i].register_hook([this, i](torch::Tensor gradient) {
      on_gradient(i, gradient);
      return gradient;
    }));
  }
}

GradientReducer::~GradientReducer() {
  for (auto& bucket : buckets_) bucket.pending.reset();  // waits for anything still in flight
  for (size_t i = 0; i < parameters_.size(); ++i) parameters_[i].remove_hook(hooks_[i]);
}

void GradientReducer::on_gradient(size_t parameter, const torch::Tensor& gradient) {
  if (arrived_[parameter])
    throw std::logic_error(
        "GradientReducer: parameter " + std::to_string(parameter) +
        " got two gradients in one step (call synchronize() after each backward)");
  arrived_[parameter] = true;
  const auto [b, m] = location_[parameter];
  Bucket& bucket = buckets_[b];
  torch::NoGradGuard no_grad;
  bucket.flat.narrow(0, bucket.offsets[m], gradient.numel()).copy_(gradient.reshape({-1}));
  ++bucket.ready;
  while (next_launch_ < buckets_.size() &&
         buckets_[next_launch_].ready == buckets_[next_launch_].members.size())
    launch(buckets_[next_launch_++]);
  // MPI progresses non-blocking collectives only inside MPI calls: poke the ones in flight.
  for (auto& other : buckets_)
    if (other.pending) other.pending->test();
}

void GradientReducer::launch(Bucket& bucket) {
  bucket.pending = communicator_.allreduce_sum_async(
      bucket.flat.data_ptr(), size_t(bucket.flat.numel()), element_type_of(bucket.flat));
}

void GradientReducer::synchronize() {
  torch::NoGradGuard no_grad;
  const auto start = std::chrono::steady_clock::now();
  // A parameter that took no part in this step (or a rank with no images in it) contributes a
  // zero gradient.
  for (; next_launch_ < buckets_.size(); ++next_launch_) {
    Bucket& bucket = buckets_[next_launch_];
    for (size_t m = 0; m < bucket.members.size(); ++m)
      if (!arrived_[bucket.members[m]])
        bucket.flat.narrow(0, bucket.offsets[m], parameters_[bucket.members[m]].numel()).zero_();
    launch(bucket);
  }
  next_launch_ = 0;
  for (auto& bucket : buckets_) {
    bucket.pending->wait();
    bucket.pending.reset();
    for (size_t m = 0; m < bucket.members.size(); ++m) {
      torch::Tensor& parameter = parameters_[bucket.members[m]];
      const auto summed =
          bucket.flat.narrow(0, bucket.offsets[m], parameter.numel()).view(parameter.sizes());
      // .grad keeps the parameter's memory format (channels-last in bf16 runs): the optimiser
      // then steps both alike.
      if (!parameter.mutable_grad().defined())
        parameter.mutable_grad() = torch::empty_like(parameter);
      parameter.mutable_grad().copy_(summed);
    }
    bucket.ready = 0;
  }
  arrived_.assign(parameters_.size(), false);
  wait_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace riskstep
