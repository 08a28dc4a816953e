#!/usr/bin/env bash
# The same network task gives bit-identical numbers whatever kernels the caller's environment
# asks OpenBLAS, ATen and oneDNN for: riskstep's baseline pin wins (app/cpu_kernels.h). With
# --cpu-kernels native the environment's choice is taken, and other kernels give other numbers
# (which is why the pin exists). Skipped on a CPU without AVX2/FMA or without OpenBLAS.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR TEST_KINDS_BINARY
set -euo pipefail
riskstep=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo ||
  { echo "SKIP: this CPU has no AVX2/FMA (no baseline to pin)"; exit 77; }

network() {  # NAME [riskstep options...]: one small network backtest into NAME.h5
  local name=$1; shift
  "$riskstep" "$@" backtest --synthetic --index k --period calm --models mdn2 --max-epochs 3 \
    --levels 0.01 --out "$work/$name.h5" > "$work/$name.log" 2>&1 || fail "$name: $(tail -2 "$work/$name.log")"
}
var_of() {
  /usr/bin/python3 - "$work/$1.h5" <<'PY'
import hashlib, sys, h5py
f = h5py.File(sys.argv[1])
group = next(iter(f["tasks"].values()))
print(hashlib.sha256(group["var_0.01"][()].tobytes()).hexdigest(), f.attrs["library_cpu_kernels"])
PY
}

OPENBLAS_CORETYPE=Haswell network haswell
OPENBLAS_CORETYPE=Sandybridge ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41 network asked
(unset OPENBLAS_CORETYPE; network unset)
read -r baseline kernels < <(var_of haswell)
case "$kernels" in "baseline (AVX2): OpenBLAS Haswell"*) ;;
  *"OpenBLAS not loaded"*) echo "SKIP: the BLAS is not OpenBLAS ($kernels)"; exit 77 ;;
  *) fail "recorded kernels: $kernels" ;;
esac
[ "$(var_of asked | cut -d' ' -f1)" = "$baseline" ] || fail "the environment's kernels changed the numbers"
[ "$(var_of unset | cut -d' ' -f1)" = "$baseline" ] || fail "without OPENBLAS_CORETYPE: other numbers"

# native: the environment decides (here Sandybridge's kernels, without FMA: other numbers).
OPENBLAS_CORETYPE=Sandybridge network native --cpu-kernels native
read -r native kernels < <(var_of native)
case "$kernels" in "native: OpenBLAS Sandybridge"*) ;; *) fail "native recorded: $kernels" ;; esac
[ "$native" != "$baseline" ] || fail "Sandybridge's kernels gave the baseline's numbers (the pin is untested)"
RISKSTEP_CPU_KERNELS=native OPENBLAS_CORETYPE=Sandybridge network from_env
[ "$(var_of from_env | cut -d' ' -f1)" = "$native" ] || fail "RISKSTEP_CPU_KERNELS=native not taken"
set +e
"$riskstep" --cpu-kernels fastest backtest --synthetic --index k --models hs > "$work/bad.log" 2>&1
status=$?
set -e
[ "$status" -eq 2 ] || fail "--cpu-kernels fastest: exit $status, expected 2"
echo ok
