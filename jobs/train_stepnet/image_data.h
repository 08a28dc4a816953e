#pragma once
// The images a training reads, chosen by its settings (Fashion-MNIST from Debian's
// dataset-fashion-mnist or a directory, CIFAR-10/100 binaries), and their identity by content.
#include <string>

#include "data/vision/image_dataset.h"
#include "jobs/train_stepnet/train_settings.h"
#include "pipeline/core/task.h"

namespace riskstep {

struct ImageData {
  vision::ImageDataset train, test;
  vision::Normalization normalization;  // per channel, from the full training set
};

// Reads the training and test sets, then keeps the first train_subset / test_subset images.
ImageData load_image_data(const TrainSettings& s);

// The kind's input digest: sha256 over the digests of the files the readers read, in their
// order, so the same files anywhere give the same task.
std::string image_data_digest(const Params& given);

}  // namespace riskstep
