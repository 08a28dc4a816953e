#include "pipeline/store/hdf5_image.h"

#include <stdexcept>
#include <string>

#include "pipeline/store/atomic_file.h"
#include "pipeline/store/hdf5_handle.h"

namespace riskstep::hdf5 {

namespace {

std::string file_image(const std::string& path, const std::function<void(hid_t)>& fill) {
  Handle access = plist(H5Pcreate(H5P_FILE_ACCESS), "file access property list");
  check(H5Pset_fapl_core(access.get(), 1 << 20, /*backing_store=*/0), "in-memory file");
  Handle file = hdf5::file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()),
                           "cannot create " + path + " in memory");
  fill(file.get());
  check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), path + ": flush");
  const ssize_t size = H5Fget_file_image(file.get(), nullptr, 0);
  if (size < 0) throw std::runtime_error(path + ": cannot take the file image");
  std::string image(static_cast<size_t>(size), '\0');
  if (H5Fget_file_image(file.get(), image.data(), image.size()) != size)
    throw std::runtime_error(path + ": cannot take the file image");
  if (file.close() < 0) throw std::runtime_error(path + ": cannot close the in-memory file");
  return image;
}

}  // namespace

void write_file_whole(const std::string& path, const std::function<void(hid_t)>& fill) {
  write_file_atomically(path, file_image(path, fill));
}

}  // namespace riskstep::hdf5
