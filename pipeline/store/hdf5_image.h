#pragma once
// Writing an HDF5 file whole or not at all. The file is built in memory (HDF5's core driver, no
// backing store) and its bytes written with write_file_atomically (pipeline/store/atomic_file.h):
// a full disk or a failed write is an ordinary error naming the file and the system's reason,
// never an HDF5 file left half-closed (which crashed the HDF5 library at exit).
#include <hdf5.h>

#include <functional>
#include <string>

namespace riskstep::hdf5 {

// `fill` writes into the in-memory file; throws std::runtime_error naming `path` on failure.
void write_file_whole(const std::string& path, const std::function<void(hid_t file)>& fill);

}  // namespace riskstep::hdf5
