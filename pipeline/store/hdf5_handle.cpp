#include "pipeline/store/hdf5_handle.h"

#include <stdexcept>

namespace riskstep::hdf5 {

namespace {
Handle checked(hid_t id, Handle::Closer closer, const std::string& what) {
  if (id < 0) throw std::runtime_error(what + ": HDF5 call failed");
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
  if (status < 0) throw std::runtime_error(what + ": HDF5 call failed");
}

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &saved_function_, &saved_data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() {
  H5Eset_auto2(H5E_DEFAULT, saved_function_, saved_data_);
}

}  // namespace riskstep::hdf5
