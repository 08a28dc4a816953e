#!/usr/bin/env bash
# Every option of `riskstep train --help` through the binary, as a user calls it (1 and 2 ranks):
# each run must finish and record the setting it was given (identity settings in the task's
# parameters, run settings in its run_settings), or be refused with one line where the CPU
# cannot do it (--device cuda, --backend nccl). The script fails when --help lists an option
# it does not use, so a new option cannot go untested.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR TEST_KINDS_BINARY
set -euo pipefail
riskstep=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
fmnist=/usr/share/datasets/fashion-mnist
[ -d "$fmnist" ] || { echo "SKIP: Debian's dataset-fashion-mnist is not installed"; exit 77; }
mpirun=(mpirun -np 2 --oversubscribe); [ "$(id -u)" -ne 0 ] || mpirun+=(--allow-run-as-root)
small=(--steps-per-epoch 2 --batch 16 --train-subset 64 --test-subset 32 --nsi-samples 8
       --threads 1)
used="$work/used.txt"

# run NAME RANKS ARGS...: one training into NAME.h5; its options are counted as used.
run() {
  local name=$1 ranks=$2; shift 2
  local launcher=(); [ "$ranks" -eq 1 ] || launcher=("${mpirun[@]}")
  printf '%s\n' "$@" | grep '^--' >> "$used" || true
  local shape=()  # ResNet-8, one epoch, unless the run says otherwise
  [[ " $* " == *" --depth "* ]] || shape+=(--depth 8)
  [[ " $* " == *" --epochs "* ]] || shape+=(--epochs 1)
  "${launcher[@]}" "$riskstep" train "${small[@]}" "${shape[@]}" "$@" --out "$work/$name.h5" \
    > "$work/$name.log" 2>&1 || fail "$name: $(tail -3 "$work/$name.log")"
}
# recorded NAME KEY=VALUE...: the results file holds these settings (parameters or run_settings).
recorded() {
  /usr/bin/python3 - "$work/$1.h5" "${@:2}" <<'PY' || fail "$1: settings not recorded"
import json, sys, h5py
group = next(iter(h5py.File(sys.argv[1])["tasks"].values()))
settings = json.loads(group.attrs["parameters"])["params"]
settings.update(json.loads(group.attrs["run_settings"]))
for pair in sys.argv[2:]:
    key, value = pair.split("=", 1)
    assert json.dumps(settings.get(key)).strip('"') == value, (key, settings.get(key), value)
PY
}

run plain 1
run se 1 --attention se --dataset fashion-mnist
recorded se attention=se dataset=fashion-mnist
run stepnet 1 --attention stepnet --attention-blocks 0,2
recorded stepnet attention=stepnet attention_blocks=0,2
run bottleneck 1 --depth 11 --block bottleneck
recorded bottleneck depth=11 block=bottleneck
run tuned 1 --epochs 2 --lr 0.05 --momentum 0.8 --weight-decay 0.001 --no-augment --freeze-bn \
  --seed 5 --no-deterministic
recorded tuned epochs=2 lr=0.05 momentum=0.8 weight_decay=0.001 augment=false freeze_bn=true \
  deterministic=false
run augmented 1 --augment --deterministic --no-freeze-bn
# A flag and its --no- form together are refused (CLI11 would apply them in its order, not yours).
set +e
"$riskstep" train --augment --no-augment --epochs 1 > "$work/both.txt" 2>&1; status=$?
set -e
[ "$status" -eq 2 ] && grep -q -- "--augment and --no-augment: give one of them" "$work/both.txt" ||
  fail "--augment --no-augment: exit $status, $(cat "$work/both.txt")"
run bf16 1 --precision bf16
recorded bf16 precision=bf16
run bf16_2 2 --precision bf16 --backend mpi
recorded bf16_2 precision=bf16 backend=mpi
# Run settings change no number: two ranks with small buckets equal two ranks with the default.
run fp32_2 2 --device cpu
run buckets_2 2 --bucket-mb 0.01
recorded buckets_2 bucket_mb=0.01
/usr/bin/python3 - "$work/fp32_2.h5" "$work/buckets_2.h5" <<'PY' || fail "--bucket-mb changed numbers"
import sys, h5py, numpy as np
a, b = (next(iter(h5py.File(path)["tasks"].values())) for path in sys.argv[1:])
assert a.name == b.name  # one task id
timing = ("images_per_second", "seconds", "comm_wait_ms_per_step")
for column in a["history"].dtype.names:
    if column not in timing:
        assert np.array_equal(a["history"][column], b["history"][column]), column
PY

# The data by content: a copy of the files elsewhere is the same task.
mkdir -p "$work/fm"; cp "$fmnist"/* "$work/fm/"
run copied 1 --data-dir "$work/fm"
[ "$(cd "$work" && /usr/bin/python3 -c 'import h5py; print(*h5py.File("plain.h5")["tasks"])')" = \
  "$(cd "$work" && /usr/bin/python3 -c 'import h5py; print(*h5py.File("copied.h5")["tasks"])')" ] ||
  fail "--data-dir: the same images elsewhere are another task"
# CIFAR binary batches (random pixels, the real layout).
/usr/bin/python3 - "$work" <<'PY'
import os, sys, numpy as np
rng = np.random.default_rng(0)
def records(n, labels):
    rows = [np.concatenate([lab, rng.integers(0, 256, 3072)]).astype(np.uint8)
            for lab in (rng.integers(0, labels, len(labels) and 1) for _ in range(n))]
    return b"".join(r.tobytes() for r in rows)
os.makedirs(f"{sys.argv[1]}/c10"); os.makedirs(f"{sys.argv[1]}/c100")
for name in [f"data_batch_{b}.bin" for b in range(1, 6)] + ["test_batch.bin"]:
    open(f"{sys.argv[1]}/c10/{name}", "wb").write(records(40, [10]))
for name in ("train.bin", "test.bin"):
    rows = [np.concatenate([[rng.integers(0, 20)], [rng.integers(0, 100)],
                            rng.integers(0, 256, 3072)]).astype(np.uint8) for _ in range(80)]
    open(f"{sys.argv[1]}/c100/{name}", "wb").write(b"".join(r.tobytes() for r in rows))
PY
run cifar10 1 --dataset cifar10 --data-dir "$work/c10"
recorded cifar10 dataset=cifar10
run cifar100 1 --dataset cifar100 --data-dir "$work/c100"
recorded cifar100 dataset=cifar100

# Checkpoints: stop after an epoch (exit 3), resume, finish.
stop=("${small[@]}" --depth 8 --epochs 2 --checkpoint-dir "$work/ck")
set +e
"$riskstep" train "${stop[@]}" --stop-after-epochs 1 > "$work/stop.log" 2>&1; status=$?
set -e
[ "$status" -eq 3 ] || fail "--stop-after-epochs: exit $status, expected 3"
"$riskstep" train "${stop[@]}" --resume --out "$work/resumed.h5" > "$work/resume.log" 2>&1 ||
  fail "--resume: $(tail -2 "$work/resume.log")"
grep -q "resumed from" "$work/resume.log" || fail "--resume did not resume"
printf '%s\n' --stop-after-epochs --checkpoint-dir --resume >> "$used"

# --out never replaces what riskstep did not write, unless --force.
echo "precious" > "$work/mine.h5"
if "$riskstep" train "${small[@]}" --depth 8 --epochs 1 --out "$work/mine.h5" \
  > "$work/refused.log" 2>&1; then
  fail "--out replaced a file riskstep did not write"
fi
"$riskstep" train "${small[@]}" --depth 8 --epochs 1 --out "$work/mine.h5" --force > /dev/null 2>&1 ||
  fail "--force"
printf '%s\n' --out --force >> "$used"

# What a CPU cannot do is refused with one line.
for refused in "--device cuda" "--backend nccl"; do
  command -v nvidia-smi > /dev/null && break
  # shellcheck disable=SC2086
  if "$riskstep" train "${small[@]}" --depth 8 --epochs 1 $refused > "$work/refused.log" 2>&1; then
    fail "$refused ran on a machine without a GPU"
  fi
  [ "$(grep -c 'riskstep train:' "$work/refused.log")" -eq 1 ] || fail "$refused: not one line"
  echo "${refused%% *}" >> "$used"
done

# Every option --help lists was used above.
"$riskstep" train --help | grep -oE -- '--[a-z][a-z0-9-]*' | grep -v -- '--help' | sort -u \
  > "$work/documented.txt"
printf '%s\n' "${small[@]}" --depth --epochs | grep '^--' >> "$used"
missing=$(sort -u "$used" | comm -23 "$work/documented.txt" -)
[ -z "$missing" ] || fail "options in --help that this test does not run: $missing"
echo ok
