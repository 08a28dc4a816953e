#pragma once
// Where riskstep may write. It never replaces what it did not write: an existing file must be a
// riskstep file (an HDF5 file with the root attribute riskstep_format), unless `force`; a
// directory, device, pipe or socket is refused always. A sweep's output directory must be absent,
// empty or one riskstep made (it holds only what riskstep writes there: out_layout.h).
// Violations throw std::invalid_argument with one line naming the path, before any work starts.
#include <string>

namespace riskstep {

void check_results_file_path(const std::string& path, bool force);
void check_sweep_directory_path(const std::string& dir);

// True for an HDF5 file whose root attribute riskstep_format names a riskstep file.
bool is_riskstep_file(const std::string& path);

}  // namespace riskstep
