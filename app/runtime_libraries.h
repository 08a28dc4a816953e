#pragma once
// The numerical libraries a run computes with, which can change its numbers: the BLAS under
// LibTorch (reference BLAS and OpenBLAS give different network results), LibTorch, Boost, NLopt
// and the compiler. Recorded in every result's metadata (library_* root attributes).
#include <string>

namespace riskstep {

// Pins a multi-threaded BLAS (OpenBLAS) to one thread per process: MPI ranks already use the
// cores, and OpenBLAS's results can depend on its thread count. Call before any computation.
void pin_blas_threads();

// "OpenBLAS 0.3.21 ... (/usr/lib/.../libblas.so.3)" or the library file of sgemm_.
std::string blas_description();

// Records BLAS, LibTorch, Boost, NLopt and compiler versions (record_library_version).
void record_runtime_libraries();

}  // namespace riskstep
