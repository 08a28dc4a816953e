#pragma once
// Writing an HDF5 file whole or not at all: built under a temporary name unique to this host and
// process (pipeline/store/atomic_file.h), every HDF5 call checked, flushed and fsync'ed, then
// renamed into place. A full disk or a failed write is an ordinary error naming the file and the
// system's reason; the temporary is removed then. Files are written in the compact layout of
// HDF5 1.8 and later (pipeline/store/hdf5_io.h), which h5py, h5dump and HDF5 1.8+ read.
#include <hdf5.h>

#include <functional>
#include <string>

namespace riskstep::hdf5 {

// `fill` writes into the open file; throws std::runtime_error naming `path` on failure.
void write_file_whole(const std::string& path, const std::function<void(hid_t file)>& fill);

// The same, but the file's name is chosen when it is complete, from the sha256 (hex) of its bytes
// (so the name itself verifies the file): `name_for(sha256)` gives the final path, returned.
std::string write_file_named_by_digest(
    const std::string& temporary_base, const std::function<void(hid_t file)>& fill,
    const std::function<std::string(const std::string&)>& name_for);

// Called first in main, before any other HDF5 call. A file whose write failed (a full disk) can
// never be closed (HDF5 1.10.8: its cache stays broken), and the library's own cleanup at exit
// then crashed the process (SIGSEGV in H5F__close_cb) after riskstep had reported the error.
// Every file riskstep writes is closed, and its close checked, before it counts as written.
void skip_library_cleanup_at_exit();

}  // namespace riskstep::hdf5
