#include "pipeline/layout/out_dir_lock.h"
#include "pipeline/store/out_layout.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace riskstep {

namespace {

std::string this_host();

std::string holder_line() {
  char started[32] = {};
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return "host " + this_host() + " pid " + std::to_string(getpid()) + " since " + started;
}

std::string this_host() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host;
}

// The kernel names a holder on this host (F_GETLK); a holder elsewhere (a shared file system) is
// known only by the line it wrote into the file.
std::string current_holder(int fd, short type) {
  struct flock probe {};
  probe.l_type = type;
  probe.l_whence = SEEK_SET;
  if (fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK && probe.l_pid > 0)
    return "riskstep (host " + this_host() + " pid " + std::to_string(probe.l_pid) + ")";
  char text[256] = {};
  const ssize_t n = pread(fd, text, sizeof text - 1, 0);
  std::string line = n > 0 ? std::string(text, static_cast<size_t>(n)) : "";
  while (!line.empty() && (line.back() == '\n' || line.back() == '\0')) line.pop_back();
  return line.empty() ? "another riskstep run" : "riskstep (" + line + ")";
}

bool try_lock(int fd, short type, bool wait) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  while (fcntl(fd, wait ? F_SETLKW : F_SETLK, &lock) != 0) {
    if (errno == EINTR) continue;
    if (errno == EACCES || errno == EAGAIN) return false;
    throw std::runtime_error(std::string("cannot lock: ") + std::strerror(errno));
  }
  return true;
}

}  // namespace

std::string lock_file_path(const std::string& dir) {
  return out_layout::lock_file(dir);
}

OutDirLock::OutDirLock(const std::string& dir, Mode mode, bool wait) {
  const std::string path = lock_file_path(dir);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw std::runtime_error(path + ": cannot open the lock file: " + std::strerror(errno));
  const short type = mode == Mode::exclusive ? F_WRLCK : F_RDLCK;
  if (!try_lock(fd_, type, false)) {
    const std::string holder = current_holder(fd_, type);
    if (!wait) {
      ::close(fd_);
      throw std::invalid_argument(dir + " is in use by " + holder +
                                  ": wait for it to finish, or use --wait");
    }
    std::fprintf(stderr, "riskstep: %s is in use by %s: waiting ...\n", dir.c_str(),
                 holder.c_str());
    try_lock(fd_, type, true);
  }
  // Only a note for messages (shards overwrite each other's); the lock itself is what counts.
  const std::string line = holder_line() + "\n";
  if (ftruncate(fd_, 0) == 0) {
    ssize_t written = pwrite(fd_, line.data(), line.size(), 0);
    (void)written;
  }
}

OutDirLock::~OutDirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace riskstep
