#pragma once
// SHA-256 (OpenSSL) for task ids, seeds and input-data fingerprints.
#include <string>

namespace riskstep {

std::string sha256_hex(const std::string& bytes);
std::string sha256_file_hex(const std::string& path);  // throws std::runtime_error naming the file

}  // namespace riskstep
