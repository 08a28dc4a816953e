#pragma once
// Keras EarlyStopping(monitor="loss", patience, min_delta=0, restore_best_weights=False): stop once
// `patience` consecutive epochs have not improved strictly on the best loss so far.
#include <limits>

namespace riskstep {

class EarlyStopping {
 public:
  explicit EarlyStopping(int patience) : patience_(patience) {}

  // Feeds one epoch's loss; returns true when training must stop after this epoch. A NaN never
  // improves (as in Keras, where np.less(nan, best) is false).
  bool should_stop(double loss) {
    ++wait_;
    if (loss < best_) {
      best_ = loss;
      wait_ = 0;
    }
    return wait_ >= patience_;
  }
  double best() const { return best_; }

 private:
  int patience_;
  int wait_ = 0;
  double best_ = std::numeric_limits<double>::infinity();
};

}  // namespace riskstep
