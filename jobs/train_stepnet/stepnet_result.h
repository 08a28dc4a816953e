#pragma once
// The result of one finished training as the engine stores it: attributes, the per-epoch history,
// NSI and attention per stage and block, and the /summary row (every column is documented in
// docs/results-columns.md).
#include <cstdint>
#include <string>

#include "jobs/train_stepnet/train_settings.h"
#include "jobs/train_stepnet/training_checkpoint.h"
#include "models/vision/stiffness.h"
#include "pipeline/core/job.h"

namespace riskstep {

// What the training measured and how it ran, beyond its settings.
struct TrainingFacts {
  int64_t parameter_count = 0;
  int64_t train_images = 0, test_images = 0;
  int ranks = 1;
  std::string backend = "none", device = "cpu";
  double final_test_accuracy = 0.0, final_test_loss = 0.0;
  int resumed_at_epoch = 0;
  int64_t steps = 0;
  std::string final_parameters_sha256;
};

Result training_result(const TrainSettings& s, const TrainingFacts& facts,
                       const TrainingHistory& history,
                       const vision::StiffnessAccumulator& stiffness);

}  // namespace riskstep
