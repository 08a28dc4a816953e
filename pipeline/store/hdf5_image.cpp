#include "pipeline/store/hdf5_image.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "pipeline/core/sha256.h"
#include "pipeline/store/atomic_file.h"
#include "pipeline/store/hdf5_handle.h"

namespace riskstep::hdf5 {

namespace {

// A file whose writes failed (a full disk) cannot be closed any more: HDF5 1.10's metadata cache
// stays broken and the file open (see skip_library_cleanup_at_exit). Its temporary is emptied,
// so its blocks are given back now rather than when the process ends, and removed.
void abandon(Handle& file, const std::string& temporary) {
  if (file.valid()) {
    if (::truncate(temporary.c_str(), 0) != 0) {
      // Nothing to give back: the close below may fail too, which is all that is left to try.
    }
    file.close();
  }
  std::remove(temporary.c_str());
}

// Writes `temporary` completely and durably, or throws (having removed it).
void write_temporary(const std::string& temporary, const std::string& shown,
                     const std::function<void(hid_t)>& fill) {
  Handle file;
  try {
    Handle access = plist(H5Pcreate(H5P_FILE_ACCESS), "file access property list");
    check(H5Pset_libver_bounds(access.get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST),
          "file format bounds");
    file = hdf5::file(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()),
                      "cannot create " + temporary);
    fill(file.get());
    // H5Fclose reports success even when its last flush failed: flush first, and check.
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot write " + shown);
    if (file.close() < 0) throw std::runtime_error("cannot write " + shown + ": close failed");
    const int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
      const int error = errno;
      if (fd >= 0) ::close(fd);
      throw std::runtime_error("cannot write " + shown + ": " + std::strerror(error));
    }
    ::close(fd);
  } catch (...) {
    abandon(file, temporary);
    throw;
  }
}

void rename_into_place(const std::string& temporary, const std::string& path) {
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    throw std::runtime_error("cannot rename " + temporary + " to " + path + ": " +
                             std::strerror(error));
  }
}

}  // namespace

void write_file_whole(const std::string& path, const std::function<void(hid_t)>& fill) {
  const std::string temporary = temporary_path_for(path);
  write_temporary(temporary, path, fill);
  rename_into_place(temporary, path);
}

std::string write_file_named_by_digest(
    const std::string& temporary_base, const std::function<void(hid_t)>& fill,
    const std::function<std::string(const std::string&)>& name_for) {
  const std::string temporary = temporary_path_for(temporary_base);
  write_temporary(temporary, temporary_base, fill);
  std::string digest;
  try {
    digest = sha256_file_hex(temporary);  // reads the bytes back: what the name vouches for
  } catch (...) {
    std::remove(temporary.c_str());
    throw;
  }
  const std::string path = name_for(digest);
  rename_into_place(temporary, path);
  return path;
}

void skip_library_cleanup_at_exit() {
  H5dont_atexit();
}

}  // namespace riskstep::hdf5
