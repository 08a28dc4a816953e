#pragma once
// IDX files (MNIST, Fashion-MNIST): big-endian magic 0x00000803 (images: count, rows, cols,
// then uint8 pixels) or 0x00000801 (labels: count, then uint8 labels), optionally gzipped.
#include <string>
#include <vector>

#include "data/vision/image_dataset.h"

namespace riskstep::vision {

// Pairs an image file with its label file; throws naming the file at fault (wrong magic,
// truncated data, count mismatch, label outside 0..num_classes-1).
ImageDataset read_idx_dataset(const std::string& images_path, const std::string& labels_path,
                              int num_classes, const std::string& name, const FileReader& read);

// Debian's dataset-fashion-mnist package installs here.
constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// train-images-idx3-ubyte.gz / t10k-... in `dir` (".gz" optional).
ImageDataset load_fashion_mnist(const std::string& dir, bool train, const FileReader& read);

// The files load_fashion_mnist reads: {images, labels}; throws naming the one missing.
std::vector<std::string> fashion_mnist_files(const std::string& dir, bool train);

}  // namespace riskstep::vision
