#include "data/gzip_file.h"

#include <zlib.h>

#include <stdexcept>

namespace riskstep {

std::vector<uint8_t> read_maybe_gzipped(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) throw std::runtime_error(path + ": cannot open");
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> buffer(1 << 20);
  while (true) {
    const int got = gzread(file, buffer.data(), unsigned(buffer.size()));
    if (got < 0) {
      int code = 0;
      const std::string message = gzerror(file, &code);
      gzclose(file);
      throw std::runtime_error(path + ": corrupt gzip data (" + message + ")");
    }
    if (got == 0) break;
    bytes.insert(bytes.end(), buffer.begin(), buffer.begin() + got);
  }
  gzclose(file);
  return bytes;
}

}  // namespace riskstep
