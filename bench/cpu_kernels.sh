#!/usr/bin/env bash
# What pinning the CPU kernels costs (riskstep --cpu-kernels, app/cpu_kernels.h): the same
# network sweep with the baseline kernels (OpenBLAS Haswell, ATen and oneDNN AVX2) and with the
# CPU's own choice (OPENBLAS_CORETYPE unset, so OpenBLAS picks by CPU), side by side, alternating,
# and the median ratio. A benchmark, never part of ctest.
#
#   bash bench/cpu_kernels.sh [REPEATS]      (default 3)
#
# The sweep: herrig2023's networks on one index and period (3 ensembles of 10 seeds), 2 ranks.
# Needs build/riskstep (RISKSTEP_BUILD_DIR overrides build/) and ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
riskstep="${RISKSTEP_BUILD_DIR:-build}/riskstep"
[ -x "$riskstep" ] || { echo "cpu_kernels: $riskstep not built" >&2; exit 2; }
mpirun=(mpirun -np 2 --oversubscribe -x RISKSTEP_CPU_KERNELS); [ "$(id -u)" -ne 0 ] || mpirun+=(--allow-run-as-root)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
subset=(--set index=gspc --set period=covid --set grid.model=mdn2,mdn2reg,mdn3)

seconds_of() {  # kernels out_dir -> wall seconds of one sweep
  local start end
  start=$(date +%s.%N)
  env -u OPENBLAS_CORETYPE RISKSTEP_CPU_KERNELS="$1" "${mpirun[@]}" "$riskstep" sweep \
    jobs/specs/herrig2023.toml "${subset[@]}" --out "$2" --no-progress > "$2.log" 2>&1 ||
    { echo "cpu_kernels: $1 failed, see:" >&2; tail -5 "$2.log" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}

ratios=()
for ((repeat = 1; repeat <= repeats; ++repeat)); do
  baseline=$(seconds_of baseline "$work/baseline-$repeat")
  native=$(seconds_of native "$work/native-$repeat")
  ratio=$(python3 -c "print(f'{$baseline / $native:.2f}')")
  ratios+=("$ratio")
  echo "repeat $repeat: baseline ${baseline} s, native ${native} s, baseline/native x${ratio}"
done
/usr/bin/python3 -c "
import h5py, sys
for name in sys.argv[1:]:
    print(name.split('/')[-2] + ':', h5py.File(name).attrs['library_cpu_kernels'])
" "$work/baseline-1/results.h5" "$work/native-1/results.h5"
python3 -c "import statistics, sys; print(f'median baseline/native time x{statistics.median(map(float, sys.argv[1:])):.2f}')" "${ratios[@]}"
