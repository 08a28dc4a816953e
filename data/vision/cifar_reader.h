#pragma once
// CIFAR binary batches (https://www.cs.toronto.edu/~kriz/cifar.html):
//   CIFAR-10:  data_batch_1..5.bin, test_batch.bin; records of 1 label byte + 3072 pixel bytes
//   CIFAR-100: train.bin, test.bin; records of coarse label, fine label + 3072 pixel bytes
// Pixels are channel-major 3x32x32. Errors name the file and record.
#include <string>
#include <vector>

#include "data/vision/image_dataset.h"

namespace riskstep::vision {

// Records of one file; `classes` is 10 or 100 (CIFAR-100 uses the fine label).
ImageDataset read_cifar_file(const std::string& path, int classes, const FileReader& read);
// The whole train or test split from a directory holding the files above.
ImageDataset load_cifar(const std::string& dir, int classes, bool train, const FileReader& read);

// The files load_cifar reads, in order; throws naming the one missing.
std::vector<std::string> cifar_files(const std::string& dir, int classes, bool train);

}  // namespace riskstep::vision
