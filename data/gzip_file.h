#pragma once
// Whole-file reads through zlib, which passes plain files through unchanged: the FileReader the
// image readers (models/vision) are given.
#include <cstdint>
#include <string>
#include <vector>

namespace riskstep {

std::vector<uint8_t> read_maybe_gzipped(const std::string& path);  // throws naming the file

}  // namespace riskstep
