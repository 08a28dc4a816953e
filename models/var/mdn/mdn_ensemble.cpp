#include "models/var/mdn/mdn_ensemble.h"

#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>

#include "models/var/mdn/early_stopping.h"
#include "models/var/mdn/ensemble_adam.h"
#include "models/var/mdn/mdn_network.h"
#include "models/var/mdn/mdn_split.h"
#include "models/var/mdn/mixture_nll.h"

namespace riskstep {
namespace {

constexpr double kCollapsedWeight = 1e-3;

// Sliding windows: row j holds returns[t-lags .. t-1] for target t = range.first + j, padded with
// zero rows (weight 0) up to a multiple of `multiple`.
struct Windows {
  torch::Tensor inputs, targets, weights;  // [N_pad, lags], [N_pad], [N_pad] float
  int64_t real = 0;
};

// `scale` divides every return (1: as they are).
Windows make_windows(const std::vector<double>& returns, const IndexRange& range, int lags,
                     int64_t multiple, double scale) {
  const int64_t n = static_cast<int64_t>(range.size());
  const int64_t padded = (n + multiple - 1) / multiple * multiple;
  Windows w;
  w.real = n;
  w.inputs = torch::zeros({padded, lags}, torch::kFloat);
  w.targets = torch::zeros({padded}, torch::kFloat);
  w.weights = torch::zeros({padded}, torch::kFloat);
  auto x = w.inputs.accessor<float, 2>();
  auto y = w.targets.accessor<float, 1>();
  auto weight = w.weights.accessor<float, 1>();
  for (int64_t j = 0; j < n; ++j) {
    const size_t t = range.first + static_cast<size_t>(j);
    for (int l = 0; l < lags; ++l)
      x[j][l] =
          static_cast<float>(scale == 1.0 ? returns[t - lags + l] : returns[t - lags + l] / scale);
    y[j] = static_cast<float>(scale == 1.0 ? returns[t] : returns[t] / scale);
    weight[j] = 1.0f;
  }
  return w;
}

// Unbiased integer in [0, bound) by rejection; std::uniform_int_distribution is not portable.
uint64_t uniform_below(std::mt19937_64& rng, uint64_t bound) {
  const uint64_t limit =
      std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % bound;
  uint64_t draw;
  do draw = rng();
  while (draw >= limit);
  return draw % bound;
}

struct Member {
  MdnMemberResult result;
  std::mt19937_64 shuffle_rng;
  EarlyStopping stopping;
  torch::Tensor final_parameters;  // [P_pad] once stopped
  torch::Tensor best_parameters;   // early_stop: the weights of the best validation epoch
  int64_t best_epoch = 0;
};

// The sample sd of the training targets: what scale_by_train_sd divides the returns by.
double train_sd(const std::vector<double>& returns, const IndexRange& range) {
  double mean = 0.0, squares = 0.0;
  for (size_t t = range.first; t < range.last; ++t) mean += returns[t];
  mean /= double(range.size());
  for (size_t t = range.first; t < range.last; ++t)
    squares += (returns[t] - mean) * (returns[t] - mean);
  const double sd = std::sqrt(squares / double(range.size() - 1));
  if (!(sd > 0.0)) throw std::invalid_argument("MDN scaling: the training returns have no spread");
  return sd;
}

std::string describe_failure(const MdnMemberResult& r) {
  std::ostringstream out;
  if (r.nonfinite_loss)
    out << "non-finite loss at epoch " << (r.epoch.empty() ? 0 : r.epoch.back())
        << "; training stopped";
  if (r.collapsed) {
    if (out.tellp() > 0) out << "; ";
    out << "collapsed mixture: a component weight stays below " << kCollapsedWeight
        << " on every test day";
  }
  return out.str();
}

// Per-member validation loss in Keras form: the sample-weighted mean over batches of
// (batch mean NLL + penalty x batch sum of squared logits).
std::vector<double> validation_loss(const torch::Tensor& flat, const MdnShape& shape,
                                    const Windows& validation, double penalty, int batch_size) {
  at::NoGradGuard no_grad;
  const int64_t E = flat.size(0), N = validation.inputs.size(0);
  const auto inputs = validation.inputs.unsqueeze(0).expand({E, N, shape.lags}).contiguous();
  const auto targets = validation.targets.unsqueeze(0).expand({E, N}).contiguous();
  const auto mixture = mdn_forward(mdn_parameter_views(flat, shape), inputs, shape);
  const auto nll = mixture_nll(mixture, targets).to(torch::kDouble).contiguous();
  const auto squares = mixture.logits.square().sum(2).to(torch::kDouble).contiguous();
  std::vector<double> losses(static_cast<size_t>(E), 0.0);
  for (int64_t e = 0; e < E; ++e) {
    const double* n = nll.data_ptr<double>() + e * N;
    const double* s = squares.data_ptr<double>() + e * N;
    double total = 0.0;
    for (int64_t start = 0; start < validation.real; start += batch_size) {
      const int64_t end = std::min<int64_t>(start + batch_size, validation.real);
      double nll_sum = 0.0, square_sum = 0.0;
      for (int64_t j = start; j < end; ++j) nll_sum += n[j], square_sum += s[j];
      total += nll_sum + static_cast<double>(end - start) * penalty * square_sum;
    }
    losses[static_cast<size_t>(e)] = total / static_cast<double>(validation.real);
  }
  return losses;
}

void validate_options(const MdnTrainingOptions& o) {
  if (o.max_epochs < 1 || o.patience < 1 || o.batch_size < 1 || o.threads < 1 ||
      !(o.learning_rate > 0) || !(o.beta1 >= 0 && o.beta1 < 1) || !(o.beta2 >= 0 && o.beta2 < 1) ||
      !(o.epsilon > 0))
    throw std::invalid_argument(
        "MDN training options: expected max_epochs, patience, batch_size, threads >= 1, "
        "learning_rate > 0, beta1 and beta2 in [0, 1), epsilon > 0");
}

}  // namespace

MdnValidation parse_mdn_validation(const std::string& name) {
  if (name == "thesis") return MdnValidation::thesis;
  if (name == "early_stop") return MdnValidation::early_stop;
  if (name == "none") return MdnValidation::none;
  throw std::invalid_argument("MDN validation '" + name + "': expected thesis, early_stop or none");
}

std::vector<MdnMemberResult> train_mdn_ensemble(const std::vector<double>& returns,
                                                const std::vector<std::string>& return_dates,
                                                size_t test_first, size_t test_last,
                                                const MdnArchitecture& architecture,
                                                const std::vector<uint64_t>& seeds,
                                                const MdnTrainingOptions& options) {
  MdnFitWindow window;
  window.test_first = test_first;
  window.test_last = test_last;
  return train_mdn_ensemble(returns, return_dates, window, architecture, seeds, options);
}

std::vector<MdnMemberResult> train_mdn_ensemble(const std::vector<double>& returns,
                                                const std::vector<std::string>& return_dates,
                                                const MdnFitWindow& window,
                                                const MdnArchitecture& architecture,
                                                const std::vector<uint64_t>& seeds,
                                                const MdnTrainingOptions& options) {
  validate_options(options);
  const size_t test_first = window.test_first, test_last = window.test_last;
  if (!window.start_parameters.empty() && window.start_parameters.size() != seeds.size())
    throw std::invalid_argument("train_mdn_ensemble: start parameters for " +
                                std::to_string(window.start_parameters.size()) + " of " +
                                std::to_string(seeds.size()) + " members");
  if (returns.size() != return_dates.size())
    throw std::invalid_argument("train_mdn_ensemble: " + std::to_string(returns.size()) +
                                " returns but " + std::to_string(return_dates.size()) +
                                " dates; expected one date per return");
  if (seeds.empty()) return {};
  const MdnShape shape = mdn_shape(architecture);
  const bool validating = options.validation != MdnValidation::none;
  const MdnSplit split =
      mdn_split(return_dates, test_first, test_last, shape.lags, window.history_first, validating);
  const double scale = options.scale_by_train_sd ? train_sd(returns, split.train) : 1.0;
  torch::set_num_threads(options.threads);
  at::NoGradGuard outer_no_grad;  // re-enabled only around the training forward/backward

  // Batches are padded to the full batch size (padding weight 0) and validation/test sets to a
  // multiple of 32, so every member always sees the same tensor shapes: see MdnShape::padded_count.
  const int64_t B = options.batch_size, K = shape.components, L = shape.lags;
  const Windows train = make_windows(returns, split.train, L, 1, scale);
  const Windows validation = make_windows(returns, split.validation, L, 32, scale);
  const Windows test = make_windows(returns, split.test, L, 32, scale);
  const int64_t n_train = train.real, n_batches = (n_train + B - 1) / B;

  std::vector<Member> members;
  members.reserve(seeds.size());
  std::vector<torch::Tensor> initial;
  for (uint64_t seed : seeds) {
    Member m{
        {}, std::mt19937_64(seed ^ 0x9e3779b97f4a7c15ULL), EarlyStopping(options.patience), {}, {},
        0};
    m.result.seed = seed;
    m.result.components = shape.components;
    members.push_back(std::move(m));
    auto values = window.start_parameters.empty() ? mdn_initial_parameters(shape, seed)
                                                  : window.start_parameters[members.size() - 1];
    if (int64_t(values.size()) != shape.padded_count())
      throw std::invalid_argument("train_mdn_ensemble: start parameters of another architecture");
    initial.push_back(
        torch::from_blob(values.data(), {shape.padded_count()}, torch::kDouble).to(torch::kFloat));
  }
  torch::Tensor flat = torch::stack(initial).requires_grad_(true);
  EnsembleAdam adam(flat, options.learning_rate, options.beta1, options.beta2, options.epsilon);
  std::vector<size_t> slots(members.size());  // slot (row of flat) -> member
  std::iota(slots.begin(), slots.end(), size_t{0});

  std::vector<int64_t> order(static_cast<size_t>(n_train));
  for (int epoch = 1; epoch <= options.max_epochs && !slots.empty(); ++epoch) {
    const auto started = std::chrono::steady_clock::now();
    const int64_t E = static_cast<int64_t>(slots.size());
    // Each member's own permutation (Keras shuffle=True), last batch padded with weight 0.
    auto index = torch::zeros({E, n_batches * B}, torch::kLong);
    auto weight = torch::zeros({E, n_batches * B}, torch::kFloat);
    for (int64_t e = 0; e < E; ++e) {
      auto& rng = members[slots[static_cast<size_t>(e)]].shuffle_rng;
      std::iota(order.begin(), order.end(), int64_t{0});
      for (size_t i = order.size() - 1; i > 0; --i)
        std::swap(order[i], order[uniform_below(rng, i + 1)]);
      std::copy(order.begin(), order.end(), index.data_ptr<int64_t>() + e * n_batches * B);
      weight[e].narrow(0, 0, n_train).fill_(1.0f);
    }
    // [n_batches, E, B, ...] so that one batch of every member is one contiguous block.
    const auto flat_index = index.view({-1});
    const auto inputs = train.inputs.index_select(0, flat_index)
                            .view({E, n_batches, B, L})
                            .transpose(0, 1)
                            .contiguous();
    const auto targets = train.targets.index_select(0, flat_index)
                             .view({E, n_batches, B})
                             .transpose(0, 1)
                             .contiguous();
    const auto weights = weight.view({E, n_batches, B}).transpose(0, 1).contiguous();

    auto loss_sum = torch::zeros({E}, torch::kDouble);
    for (int64_t b = 0; b < n_batches; ++b) {
      const int64_t real = std::min(B, n_train - b * B);
      torch::Tensor loss;
      {
        at::AutoGradMode grad_mode(true);
        const auto mixture = mdn_forward(mdn_parameter_views(flat, shape), inputs[b], shape);
        loss = mdn_batch_loss(mixture, targets[b], weights[b], real, architecture.logit_penalty);
        loss.sum().backward();
      }
      adam.step(flat, flat.grad());
      flat.mutable_grad() = torch::Tensor();
      loss_sum.add_(loss.to(torch::kDouble), static_cast<double>(real));
    }
    loss_sum.div_(static_cast<double>(n_train));
    const auto val = validating
                         ? validation_loss(flat, shape, validation, architecture.logit_penalty, B)
                         : std::vector<double>(static_cast<size_t>(E), std::nan(""));

    const double seconds_each =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() /
        static_cast<double>(E);
    std::vector<int64_t> keep;
    for (int64_t e = 0; e < E; ++e) {
      Member& m = members[slots[static_cast<size_t>(e)]];
      const double train_loss = loss_sum[e].item<double>();
      const double val_loss = val[static_cast<size_t>(e)];
      m.result.epoch.push_back(epoch);
      m.result.train_loss.push_back(train_loss);
      m.result.val_loss.push_back(val_loss);
      m.result.epochs_trained = epoch;
      m.result.train_seconds += seconds_each;
      m.result.nonfinite_loss =
          !std::isfinite(train_loss) || (validating && !std::isfinite(val_loss));
      const bool on_validation = options.validation == MdnValidation::early_stop;
      const double best_before = m.stopping.best();
      const bool stop = m.stopping.should_stop(on_validation ? val_loss : train_loss) ||
                        m.result.nonfinite_loss || epoch == options.max_epochs;
      if (on_validation && m.stopping.best() < best_before) {  // a new best: keep its weights
        m.best_parameters = flat[e].detach().clone();
        m.best_epoch = epoch;
      }
      if (!on_validation) m.best_epoch = epoch;
      if (stop)
        m.final_parameters = on_validation && m.best_parameters.defined()
                                 ? m.best_parameters
                                 : flat[e].detach().clone();
      else
        keep.push_back(e);
    }
    if (static_cast<int64_t>(keep.size()) < E) {  // drop stopped members from the ensemble
      std::vector<size_t> kept_slots;
      for (int64_t e : keep) kept_slots.push_back(slots[static_cast<size_t>(e)]);
      slots = kept_slots;
      const auto rows = torch::tensor(keep, torch::kLong);
      flat = flat.detach().index_select(0, rows).requires_grad_(true);
      adam.keep_rows(rows);
    }
  }

  // Test-day mixtures of every member from its final (not best) parameters.
  std::vector<torch::Tensor> finals;
  for (const Member& m : members) finals.push_back(m.final_parameters);
  const auto all = torch::stack(finals);
  const int64_t E = all.size(0), N = test.inputs.size(0), days = test.real;
  const auto inputs = test.inputs.unsqueeze(0).expand({E, N, L}).contiguous();
  const auto mixture = mdn_forward(mdn_parameter_views(all, shape), inputs, shape);
  // Back to returns: a mixture of scaled returns scales its mu and sigma.
  const auto mu = scale == 1.0 ? mixture.mu.to(torch::kDouble).contiguous()
                               : mixture.mu.to(torch::kDouble).mul(scale).contiguous();
  const auto sigma = scale == 1.0 ? mixture.sigma.to(torch::kDouble).contiguous()
                                  : mixture.sigma.to(torch::kDouble).mul(scale).contiguous();
  const auto pi = torch::softmax(mixture.logits, -1).to(torch::kDouble).contiguous();
  std::vector<MdnMemberResult> results;
  for (int64_t e = 0; e < E; ++e) {
    MdnMemberResult r = std::move(members[static_cast<size_t>(e)].result);
    const size_t begin = static_cast<size_t>(e * N * K), count = static_cast<size_t>(days * K);
    r.mu.assign(mu.data_ptr<double>() + begin, mu.data_ptr<double>() + begin + count);
    r.sigma.assign(sigma.data_ptr<double>() + begin, sigma.data_ptr<double>() + begin + count);
    r.pi.assign(pi.data_ptr<double>() + begin, pi.data_ptr<double>() + begin + count);
    for (int64_t k = 0; k < K && !r.collapsed; ++k) {
      bool below_everywhere = true;
      for (int64_t d = 0; d < days && below_everywhere; ++d)
        below_everywhere = r.pi[static_cast<size_t>(d * K + k)] < kCollapsedWeight;
      r.collapsed = below_everywhere;
    }
    r.failure = describe_failure(r);
    r.fit.assign(r.epoch.size(), 0);
    r.best_epoch = {members[static_cast<size_t>(e)].best_epoch};
    r.train_scale = {scale};
    r.last_target = {static_cast<int64_t>(split.train.last) - 1};
    const auto weights = all[e].to(torch::kDouble).contiguous();
    r.final_parameters.assign(weights.data_ptr<double>(),
                              weights.data_ptr<double>() + weights.numel());
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace riskstep
