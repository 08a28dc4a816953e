#include "jobs/train_stepnet/stepnet_result.h"

#include <algorithm>
#include <vector>

#include "pipeline/core/setting_list.h"

namespace riskstep {
namespace {

Table statistics_table(const std::vector<vision::BlockStatistic>& statistics) {
  std::vector<int64_t> stage, block, count;
  std::vector<double> mean, min, max;
  for (const auto& entry : statistics) {
    stage.push_back(entry.stage + 1);
    block.push_back(entry.block);
    mean.push_back(entry.mean());
    min.push_back(entry.min);
    max.push_back(entry.max);
    count.push_back(entry.count);
  }
  Table table;
  table.add("stage", stage)
      .add("block", block)
      .add("mean", mean)
      .add("min", min)
      .add("max", max)
      .add("count", count);
  return table;
}

}  // namespace

Result training_result(const TrainSettings& s, const TrainingFacts& facts,
                       const TrainingHistory& history,
                       const vision::StiffnessAccumulator& stiffness) {
  Result result;
  result.attributes["dataset"] = s.dataset;
  result.attributes["attention"] = s.attention;
  std::vector<std::string> blocks;
  for (const int block : s.attention_blocks) blocks.push_back(std::to_string(block));
  result.attributes["attention_blocks"] = blocks.empty() ? std::string("all") : join_list(blocks);
  result.attributes["depth"] = int64_t(s.depth);
  result.attributes["block"] = s.block;
  result.attributes["parameter_count"] = facts.parameter_count;
  result.attributes["final_test_accuracy"] = facts.final_test_accuracy;
  result.attributes["final_test_loss"] = facts.final_test_loss;
  result.attributes["training_ranks"] = int64_t(facts.ranks);
  result.attributes["backend"] = facts.backend;
  result.attributes["device"] = facts.device;
  result.attributes["precision"] = s.precision;
  result.attributes["deterministic"] = int64_t(s.deterministic);
  result.attributes["global_batch"] = s.global_batch;
  result.attributes["epochs"] = int64_t(s.epochs);
  result.attributes["steps_per_epoch"] = s.steps_per_epoch;
  result.attributes["train_images"] = facts.train_images;
  result.attributes["test_images"] = facts.test_images;
  result.attributes["nsi_images"] =
      s.nsi_samples > 0 ? std::min(s.nsi_samples, facts.test_images) : facts.test_images;
  result.attributes["resumed_at_epoch"] = int64_t(facts.resumed_at_epoch);
  result.attributes["steps"] = facts.steps;
  result.attributes["final_parameters_sha256"] = facts.final_parameters_sha256;
  result.tables["history"] = history.table();
  result.tables["nsi"] = statistics_table(stiffness.nsi());
  result.tables["attention"] = statistics_table(stiffness.attention());

  double nsi_sum = 0.0;
  int64_t nsi_count = 0;
  for (const auto& entry : stiffness.nsi()) {
    nsi_sum += entry.sum;
    nsi_count += entry.count;
  }
  const auto& rates = history.images_per_second;
  double mean_rate = 0.0;
  for (double rate : rates) mean_rate += rate / double(rates.size());
  result.summary.add("attention", std::vector<std::string>{s.attention})
      .add("depth", std::vector<int64_t>{s.depth})
      .add("parameter_count", std::vector<int64_t>{facts.parameter_count})
      .add("final_test_accuracy", std::vector<double>{facts.final_test_accuracy})
      .add("nsi_mean", std::vector<double>{nsi_count > 0 ? nsi_sum / double(nsi_count) : 0.0})
      .add("images_per_second", std::vector<double>{rates.empty() ? 0.0 : mean_rate});
  return result;
}

}  // namespace riskstep
