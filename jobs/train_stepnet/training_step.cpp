#include "jobs/train_stepnet/training_step.h"

#include "training/compute_mode.h"

namespace riskstep {

void train_step(StepParts& parts, const vision::Batch& batch, double global_images,
                torch::Tensor& loss_total) {
  parts.gradients.zero();
  if (batch.labels.defined() && batch.labels.numel() > 0) {
    torch::Tensor logits;
    {
      const PrecisionScope precision(parts.precision, batch.images.device());
      logits = parts.model->forward(in_layout(batch.images, parts.precision));
    }
    const auto loss_sum = torch::nn::functional::cross_entropy(
        logits.to(torch::kFloat32), batch.labels,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
    (loss_sum / global_images).backward();
    torch::NoGradGuard no_grad;
    loss_total.add_(loss_sum.detach().to(torch::kFloat64));
  }
  if (parts.reducer != nullptr) parts.reducer->synchronize();
  parts.optimizer.step();
}

}  // namespace riskstep
