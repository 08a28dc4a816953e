#pragma once
// LSTM mixture density networks for one-day VaR (study var_herrig2023, "LSTM-MDN models"), trained
// as a batched ensemble: one network per seed, all seeds of one (series, window, architecture) in
// one set of [E, ...] tensors. Torch-free API: callers need no LibTorch headers. See docs/mdn.md.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace riskstep {

struct MdnArchitecture {
  std::string name;
  int components = 2;          // K, mixture components
  double logit_penalty = 0.0;  // lambda x (batch sum of squared logits) added to the loss
  std::string activation =
      "relu";  // LSTM cell/output activation: "relu" (Keras default here) or "tanh"
  int hidden_units = 6;
  int dense_units = 10;
  int lags = 10;  // input window: the last `lags` returns
};

// "mdn2", "mdn2reg", "mdn3" and their "-tanh" variants. Throws std::invalid_argument listing the
// known names.
MdnArchitecture mdn_architecture(const std::string& name);
std::vector<std::string> mdn_architecture_names();

// What the last 10% of a fit's window (mdn_split.h) is for: the thesis computes its loss and never
// uses it; early_stop stops on it (patience epochs without a strictly lower validation loss) and
// restores the weights of the best epoch; none trains on every return up to the test window.
enum class MdnValidation { thesis, early_stop, none };
MdnValidation parse_mdn_validation(const std::string& name);  // thesis | early_stop | none

struct MdnTrainingOptions {
  int max_epochs = 100;
  int patience = 5;  // thesis and none: early stopping on the training loss, no weight restore
  MdnValidation validation = MdnValidation::thesis;
  // Divide inputs and targets by the training block's return sd (the head starts at sigma = 1, and
  // returns are ~0.01) and multiply the forecast mixture's mu and sigma back.
  bool scale_by_train_sd = false;
  int batch_size = 32;
  double learning_rate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7;
  // Intra-op threads (torch::set_num_threads, process-wide). 1 keeps results independent of the
  // ensemble size; run several processes for parallelism.
  int threads = 1;
};

struct MdnMemberResult {
  uint64_t seed = 0;
  int components = 0;
  std::vector<double> mu, sigma, pi;  // row-major [test_day][k]
  std::vector<int64_t> epoch;         // 1-based, one entry per epoch trained
  std::vector<double> train_loss, val_loss;
  int epochs_trained = 0;
  bool nonfinite_loss = false;  // a training or validation loss was NaN/inf: training stopped there
  bool collapsed = false;       // some component's weight < 1e-3 on every test day
  std::string failure;          // "" when fine, else one line describing the flags above
  double train_seconds = 0.0;   // ensemble wall time attributed to this member (time while active
                                // divided by the number of members active)
  std::vector<int64_t> fit;     // per history row: which fit (0, 1, ... with refits) it belongs to
  int fits = 1;                 // trainings behind the forecast (1 + refits)
  std::vector<int64_t> best_epoch;       // per fit: the epoch whose weights forecast (early_stop)
  std::vector<double> train_scale;       // per fit: what returns were divided by (1: unscaled)
  std::vector<int64_t> last_target;      // per fit: the last return index trained on
  std::vector<double> final_parameters;  // the member's weights at the end (a warm start's input)
};

// What one training of the ensemble sees and forecasts.
struct MdnFitWindow {
  size_t test_first = 0, test_last = 0;  // the days forecast, indexes into returns, [first, last)
  size_t history_first = 0;  // earliest return the training and validation blocks may use
  // Per member, the weights to start from (final_parameters of an earlier fit); empty: the
  // seed's initialisation.
  std::vector<std::vector<double>> start_parameters;
};

struct MdnSplitSizes {
  size_t train, validation, test;
};

// Sample counts of the study's split (see MdnSplit in mdn_split.h for the index mapping).
MdnSplitSizes mdn_split_sizes(const std::vector<std::string>& return_dates, size_t test_first,
                              size_t test_last, int lags = 10);

// returns: the full simple-return series (fractions) with one date per return; test days are
// [test_first, test_last), indexes into returns. Trains one network per seed as one batched
// ensemble. Member i's result is bit-identical to training seeds[i] alone (with threads = 1), so a
// task's result does not depend on which other seeds ran with it. Throws std::invalid_argument on
// a bad window, architecture or option.
std::vector<MdnMemberResult> train_mdn_ensemble(const std::vector<double>& returns,
                                                const std::vector<std::string>& return_dates,
                                                const MdnFitWindow& window,
                                                const MdnArchitecture& architecture,
                                                const std::vector<uint64_t>& seeds,
                                                const MdnTrainingOptions& options = {});
// The study's protocol: all history before the test window, no warm start.
std::vector<MdnMemberResult> train_mdn_ensemble(const std::vector<double>& returns,
                                                const std::vector<std::string>& return_dates,
                                                size_t test_first, size_t test_last,
                                                const MdnArchitecture& architecture,
                                                const std::vector<uint64_t>& seeds,
                                                const MdnTrainingOptions& options = {});

}  // namespace riskstep
