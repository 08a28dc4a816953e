#include "pipeline/store/hdf5_handle.h"

#include <stdexcept>

namespace riskstep::hdf5 {

namespace {

// HDF5's file drivers put the system's reason into an error description ("..., errno = 28,
// error message = 'No space left on device', ..."): the part in quotes, else "".
herr_t find_system_reason(unsigned, const H5E_error2_t* error, void* data) {
  static const std::string mark = "error message = '";
  const std::string text = error->desc ? error->desc : "";
  const size_t start = text.find(mark);
  if (start == std::string::npos) return 0;
  const size_t end = text.find('\'', start + mark.size());
  *static_cast<std::string*>(data) = text.substr(start + mark.size(), end - start - mark.size());
  return 1;  // the first (innermost) one found
}

[[noreturn]] void fail(const std::string& what) {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, find_system_reason, &reason);
  throw std::runtime_error(what + ": " + (reason.empty() ? "HDF5 call failed" : reason));
}

Handle checked(hid_t id, Handle::Closer closer, const std::string& what) {
  if (id < 0) fail(what);
  return Handle(id, closer);
}

}  // namespace

Handle file(hid_t id, const std::string& what) {
  return checked(id, H5Fclose, what);
}
Handle group(hid_t id, const std::string& what) {
  return checked(id, H5Gclose, what);
}
Handle dataset(hid_t id, const std::string& what) {
  return checked(id, H5Dclose, what);
}
Handle dataspace(hid_t id, const std::string& what) {
  return checked(id, H5Sclose, what);
}
Handle datatype(hid_t id, const std::string& what) {
  return checked(id, H5Tclose, what);
}
Handle attribute(hid_t id, const std::string& what) {
  return checked(id, H5Aclose, what);
}
Handle plist(hid_t id, const std::string& what) {
  return checked(id, H5Pclose, what);
}

void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &saved_function_, &saved_data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() {
  H5Eset_auto2(H5E_DEFAULT, saved_function_, saved_data_);
}

}  // namespace riskstep::hdf5
