#pragma once
// RAII ownership of HDF5 identifiers, so every early return or exception closes what it opened
// (an unclosed file id keeps the file locked and unflushed).
#include <hdf5.h>

#include <string>
#include <utility>

namespace riskstep::hdf5 {

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, -1);
      closer_ = other.closer_;
    }
    return *this;
  }
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset() { close(); }
  // Closes now and reports the status (a failed H5Fclose means the file was not flushed).
  herr_t close() {
    herr_t status = 0;
    if (id_ >= 0 && closer_) status = closer_(id_);
    id_ = -1;
    return status;
  }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

// Each checks the id and throws std::runtime_error("<what>: <reason>") when negative, the reason
// the system's when HDF5 recorded one ("No space left on device"), else "HDF5 call failed".
Handle file(hid_t id, const std::string& what);
Handle group(hid_t id, const std::string& what);
Handle dataset(hid_t id, const std::string& what);
Handle dataspace(hid_t id, const std::string& what);
Handle datatype(hid_t id, const std::string& what);
Handle attribute(hid_t id, const std::string& what);
Handle plist(hid_t id, const std::string& what);
void check(herr_t status, const std::string& what);

// Silences HDF5's automatic error-stack printing while alive: the store reports errors itself
// (one line), and probing a partial file must not spray the terminal.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t saved_function_ = nullptr;
  void* saved_data_ = nullptr;
};

}  // namespace riskstep::hdf5
