#!/usr/bin/env bash
# riskstep against PyTorch eager on one GPU: the same ResNet-20, batch and Fashion-MNIST data,
# device-resident input on both sides, and PyTorch's ordinary DataLoader path. Prints images/s,
# ratios, mean GPU utilisation per riskstep run, the cost of deterministic kernels, and how long
# the full StepNet study (none/se/stepnet x 3 seeds x 30 epochs of 60,000 images) would take.
# Like is compared with like: riskstep --no-deterministic with PyTorch's default (cuDNN
# autotuning), riskstep's deterministic default with PyTorch --deterministic. riskstep starts
# under `mpirun -np 1` where mpirun exists (a singleton MPI start fails on some machines).
#   bench/gpu/run.sh BUILD_DIR RISKSTEP_BIN DATA_DIR
# The GPU kit (../shared/gpu/gpu_check.sh) runs it after the build, with RISKSTEP_PYTHON (a python
# with CUDA torch), RISKSTEP_ARTIFACTS (kept files) and RISKSTEP_SECONDS (its time limit).
# RISKSTEP_BENCH_DEVICE=cpu runs the same script briefly on the CPU (to try the script itself).
set -u
riskstep=$2 data=$3
py=${RISKSTEP_PYTHON:-python3}
art=${RISKSTEP_ARTIFACTS:-$(mktemp -d /tmp/riskstep-gpu-bench.XXXXXX)}
budget=${RISKSTEP_SECONDS:-120}
device=${RISKSTEP_BENCH_DEVICE:-cuda}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$art"
start=$SECONDS
left() { echo $((budget - (SECONDS - start) - 5)); }
if [ "$device" = cuda ]; then steps128=150 steps512=60; else steps128=6 steps512=3; fi
declare -A rate util
launch=()
command -v mpirun > /dev/null && launch=(mpirun --allow-run-as-root -np 1)

# mean GPU utilisation (%) while COMMAND runs, into util[NAME]; COMMAND's output to ART/NAME.txt
sampled() {
  local name=$1; shift
  local samples="$art/$name.util"
  if command -v nvidia-smi > /dev/null && [ "$device" = cuda ]; then
    nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits -lms 200 > "$samples" 2>/dev/null &
    local sampler=$!
  fi
  timeout -k 5 "$(left)" "$@" > "$art/$name.txt" 2>&1
  local status=$?
  [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null
  util[$name]=$(awk 'NR > 5 { s += $1; n++ } END { if (n) printf "%.0f", s / n; else print "n/a" }' \
    "$samples" 2>/dev/null || echo n/a)
  return $status
}

# riskstep NAME BATCH STEPS [train options]: images/s of the second (steady-state) epoch
run_riskstep() {
  local name=$1 batch=$2 steps=$3; shift 3
  [ "$(left)" -gt 20 ] || { echo "skipped $name: out of time"; return; }
  sampled "$name" "${launch[@]}" "$riskstep" train --device "$device" --data-dir "$data" --epochs 2 \
    --steps-per-epoch "$steps" --batch "$batch" --test-subset 500 --nsi-samples 100 \
    --threads 4 "$@" || echo "riskstep $name failed: $(tail -3 "$art/$name.txt")"
  rate[$name]=$(sed -n 's/^epoch 2\/2: .*, \([0-9.e+]*\) images\/s.*/\1/p' "$art/$name.txt")
}

# pytorch NAME [pytorch_resnet.py options]
run_pytorch() {
  local name=$1; shift
  [ "$(left)" -gt 20 ] || { echo "skipped $name: out of time"; return; }
  sampled "$name" "$py" "$here/pytorch_resnet.py" --data "$data" --device "$device" "$@" ||
    echo "pytorch $name failed: $(tail -3 "$art/$name.txt")"
  rate[$name]=$(sed -n 's/^images_per_second=\([0-9.]*\) .*/\1/p' "$art/$name.txt")
}

# Most telling rows first: the kit's time limit may cut the last ones.
run_riskstep rs_fast_128 128 "$steps128" --no-deterministic
run_pytorch pt_dev_128 --input device --batch 128 --steps "$steps128"
run_riskstep rs_bf16_512 512 "$steps512" --precision bf16 --no-deterministic
run_pytorch pt_bf16_512 --input device --batch 512 --steps "$steps512" --bf16
run_riskstep rs_stepnet_128 128 "$steps128" --attention stepnet --no-deterministic
run_riskstep rs_128 128 "$steps128"
run_pytorch pt_det_128 --input device --batch 128 --steps "$steps128" --deterministic
run_riskstep rs_fast_512 512 "$steps512" --no-deterministic
run_pytorch pt_dev_512 --input device --batch 512 --steps "$steps512"
run_riskstep rs_se_128 128 "$steps128" --attention se --no-deterministic
# The stiffness's own cost (block forward + backward, none/se/stepnet, closed form vs composite).
blocks=$1/bench/stepnet_block_cost
if [ -x "$blocks" ] && [ "$(left)" -gt 30 ]; then
  timeout -k 5 "$(left)" "$blocks" --device "$device" --steps 30 > "$art/block_cost.txt" 2>&1 ||
    echo "stepnet_block_cost failed: $(tail -3 "$art/block_cost.txt")"
fi

ratio() { awk -v a="${rate[$1]:-}" -v b="${rate[$2]:-}" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
show() { printf '%-40s %12s images/s   GPU util %s%%\n' "$1" "${rate[$2]:-n/a}" "${util[$2]:-n/a}"; }
echo "== images per second, ResNet-20, Fashion-MNIST, $device (steady state: epoch 2 / after warm-up)"
show "riskstep fp32 batch 128" rs_fast_128
show "riskstep fp32 batch 512" rs_fast_512
show "riskstep bf16 batch 512" rs_bf16_512
show "riskstep StepNet batch 128" rs_stepnet_128
show "riskstep SE batch 128" rs_se_128
show "riskstep deterministic batch 128" rs_128
show "PyTorch device-resident fp32 batch 128" pt_dev_128
show "PyTorch device-resident fp32 batch 512" pt_dev_512
show "PyTorch device-resident bf16+CL batch 512" pt_bf16_512
show "PyTorch deterministic batch 128" pt_det_128
echo "== ratios (riskstep nondeterministic against PyTorch with cuDNN autotuning unless named)"
echo "COMPARE riskstep/PyTorch device-resident, batch 128 (target >= 2x): $(ratio rs_fast_128 pt_dev_128)"
echo "COMPARE riskstep/PyTorch device-resident, batch 512: $(ratio rs_fast_512 pt_dev_512)"
echo "COMPARE riskstep bf16/PyTorch bf16, batch 512: $(ratio rs_bf16_512 pt_bf16_512)"
echo "COMPARE riskstep bf16 batch 512 images/s (target >= 100000): ${rate[rs_bf16_512]:-n/a}"
echo "COMPARE riskstep deterministic/PyTorch deterministic, batch 128: $(ratio rs_128 pt_det_128)"
echo "COMPARE riskstep plain/StepNet, batch 128 (target <= 1.2x): $(ratio rs_fast_128 rs_stepnet_128)"
echo "COMPARE riskstep nondeterministic/deterministic, batch 128 (the cost of determinism): $(ratio rs_fast_128 rs_128)"
awk -v none="${rate[rs_fast_128]:-0}" -v se="${rate[rs_se_128]:-0}" -v step="${rate[rs_stepnet_128]:-0}" 'BEGIN {
  if (none > 0 && step > 0) {
    if (se <= 0) se = none
    seconds = 3 * 30 * 60000 * (1 / none + 1 / se + 1 / step)
    printf "COMPARE full StepNet study (none/se/stepnet x 3 seeds x 30 epochs of 60,000 images, batch 128, training only): %.0f s (target < 300 s)\n", seconds
  } }'
[ -s "$art/block_cost.txt" ] && { echo "== StepNet stiffness cost"; cat "$art/block_cost.txt"; }
echo "files: $art"
