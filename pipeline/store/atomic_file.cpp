#include "pipeline/store/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace riskstep {

namespace {
std::string host_name() {
  char host[256] = {};
  return gethostname(host, sizeof host - 1) == 0 ? host : "unknown";
}

[[noreturn]] void fail(const std::string& what, const std::string& temporary, int error) {
  if (!temporary.empty()) std::remove(temporary.c_str());
  throw std::runtime_error(what + ": " + std::strerror(error));
}
}  // namespace

std::string temporary_path_for(const std::string& path) {
  static const std::string host = host_name();
  return path + ".tmp." + host + "." + std::to_string(getpid());
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string temporary = temporary_path_for(path);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create " + temporary, "", errno);
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd);
      fail("cannot write " + temporary, temporary, error);
    }
    written += static_cast<size_t>(n);
  }
  // Flushed before the rename, so a crash never leaves a complete-looking empty file.
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    fail("cannot write " + temporary, temporary, error);
  }
  if (::close(fd) != 0) fail("cannot close " + temporary, temporary, errno);
  if (std::rename(temporary.c_str(), path.c_str()) != 0)
    fail("cannot rename " + temporary + " to " + path, temporary, errno);
}

std::string read_text_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error(path + ": cannot read: " + std::strerror(errno));
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace riskstep
