#!/usr/bin/env bash
# Wall time of a whole sweep with 1 and with 2 MPI ranks, side by side, and their ratio; then
# checks that both runs stored the same task data (results must not depend on the rank count).
# A benchmark, never part of ctest.
#
#   bash bench/sweep_scaling.sh [SPEC] [REPEATS]      (defaults: jobs/specs/herrig2023.toml, 1)
#
# Needs build/riskstep (RISKSTEP_BUILD_DIR overrides build/) and, for the default spec,
# ../shared/data/herrig2023/prices. Each repeat runs np=1 and np=2 into fresh directories;
# the median ratio is printed last.
set -euo pipefail
cd "$(dirname "$0")/.."
spec="${1:-jobs/specs/herrig2023.toml}"
repeats="${2:-1}"
riskstep="${RISKSTEP_BUILD_DIR:-build}/riskstep"
[ -x "$riskstep" ] || { echo "sweep_scaling: $riskstep not built" >&2; exit 2; }
mpirun=(mpirun --oversubscribe); [ "$(id -u)" -ne 0 ] || mpirun+=(--allow-run-as-root)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

seconds_of() {  # ranks out_dir -> wall seconds of one sweep
  local start end
  start=$(date +%s.%N)
  "${mpirun[@]}" -np "$1" "$riskstep" sweep "$spec" --out "$2" --no-progress >"$2.log" 2>&1 ||
    { echo "sweep_scaling: np=$1 failed, see:" >&2; tail -5 "$2.log" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}

ratios=()
for ((repeat = 1; repeat <= repeats; ++repeat)); do
  one=$(seconds_of 1 "$work/np1-$repeat")
  two=$(seconds_of 2 "$work/np2-$repeat")
  ratio=$(python3 -c "print(f'{$one / $two:.2f}')")
  ratios+=("$ratio")
  echo "repeat $repeat: np=1 ${one} s, np=2 ${two} s, speed-up x${ratio} (target >= 1.8)"
done

# Every task's data and attributes, apart from timings and where it ran.
/usr/bin/python3 tests/e2e/compare_results.py "$work/np1-1/results.h5" "$work/np2-1/results.h5"
python3 -c "import statistics, sys; print(f'median speed-up x{statistics.median(map(float, sys.argv[1:])):.2f}')" "${ratios[@]}"
