#include "pipeline/store/output_path.h"
#include "pipeline/store/out_layout.h"

#include <fcntl.h>
#include <hdf5.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "pipeline/core/printable.h"
#include "pipeline/store/hdf5_handle.h"

namespace riskstep {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw std::invalid_argument(printable(path) + ": " + why);
}

// The nearest existing ancestor must be a writable directory on a writable file system.
void check_writable_parent(const std::string& path) {
  fs::path parent = fs::absolute(path).parent_path();
  while (!parent.empty() && !fs::exists(parent) && parent != parent.parent_path())
    parent = parent.parent_path();
  struct statvfs volume {};
  if (statvfs(parent.c_str(), &volume) == 0 && (volume.f_flag & ST_RDONLY))
    refuse(path, "on a read-only file system (" + parent.string() + ")");
  if (access(parent.c_str(), W_OK) != 0)
    refuse(path, "cannot write in " + parent.string() + ": " + std::strerror(errno));
  // Some places (/proc, /sys) pass both checks yet take no new file: try one.
  const std::string probe = (parent / ("riskstep.probe." + std::to_string(getpid()))).string();
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    refuse(path, "cannot create files in " + parent.string() + ": " + std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
}

// What riskstep puts into a sweep directory (layout/out_dir.h, `riskstep slurm submit`'s slurm/).
bool only_riskstep_entries(const std::string& dir) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error))
    if (!out_layout::is_own_entry(entry.path().filename().string())) return false;
  return !error;
}

}  // namespace

bool is_riskstep_file(const std::string& path) {
  hdf5::QuietErrors quiet;
  if (H5Fis_hdf5(path.c_str()) <= 0) return false;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return false;
  const bool ours = H5Aexists(file, "riskstep_format") > 0;
  H5Fclose(file);
  return ours;
}

void check_results_file_path(const std::string& path, bool force) {
  if (path.empty()) refuse(path, "empty path");
  struct stat info {};
  if (lstat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) refuse(path, "is a directory, not a results file");
    if (S_ISLNK(info.st_mode)) refuse(path, "is a symbolic link: give the file it points to");
    if (!S_ISREG(info.st_mode))
      refuse(path, "is not a regular file (a device, pipe or socket): riskstep writes only files");
    if (!force && !is_riskstep_file(path))
      refuse(path,
             "exists and was not written by riskstep: use --force to replace it, or "
             "another path");
  }
  check_writable_parent(path);
}

void check_sweep_directory_path(const std::string& dir) {
  if (dir.empty()) refuse(dir, "empty path");
  std::error_code error;
  const auto status = fs::status(dir, error);
  if (!fs::exists(status)) {
    check_writable_parent(dir);
    return;
  }
  if (!fs::is_directory(status)) refuse(dir, "exists and is not a directory");
  if (!only_riskstep_entries(dir))
    refuse(dir,
           "exists and is not a riskstep sweep directory (it holds files riskstep did not "
           "write): use a new or empty directory");
  if (access(dir.c_str(), W_OK) != 0)
    refuse(dir, std::string("cannot write: ") + std::strerror(errno));
}

}  // namespace riskstep
