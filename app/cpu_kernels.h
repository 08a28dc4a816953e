#pragma once
// Which CPU kernels the numerical libraries compute with. OpenBLAS (DYNAMIC_ARCH), LibTorch's
// ATen and oneDNN each pick kernels by CPU, and kernels of other vector widths add in other
// orders: the same network task gave other numbers on an AVX-512 CPU than on an AVX2 one. So
// riskstep pins them, unless asked for the CPU's own choice:
//   baseline  OpenBLAS's Haswell kernels, ATen's AVX2 kernels, oneDNN's AVX2 ISA: what every
//             x86-64 CPU with AVX2 and FMA runs (Intel since 2013, AMD since 2015), so a task gives
//             the same numbers on any of them, whatever the environment asks the libraries for.
//             A CPU without AVX2 and FMA keeps its own kernels (said in the run metadata).
//   native    each library's own choice for this CPU (and the caller's OPENBLAS_CORETYPE, etc.).
// Chosen with `riskstep --cpu-kernels baseline|native` (or RISKSTEP_CPU_KERNELS); recorded in
// every result's metadata (library_cpu_kernels).
#include <string>

namespace riskstep {

// The choice given on the command line (--cpu-kernels X or --cpu-kernels=X, anywhere), else in
// RISKSTEP_CPU_KERNELS, else "baseline". Read before the command line is parsed: the kernels must
// be pinned before anything computes.
std::string requested_cpu_kernels(int argc, char** argv);

// Pins the kernels (baseline) or leaves them to the CPU (native) and records what was chosen.
// Call before any computation. Throws std::invalid_argument for another choice.
void pin_cpu_kernels(const std::string& choice);

}  // namespace riskstep
