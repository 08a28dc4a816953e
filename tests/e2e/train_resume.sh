#!/usr/bin/env bash
# Task identity and resume (issue 9): a training stopped after epoch 1 and resumed equals an
# uninterrupted one (final parameters, every computed history row), through `riskstep train` and
# through `riskstep sweep` on 2 ranks; run settings (threads, bucket_mb, device) never change a
# task id or seed; a checkpoint of another task is refused with one line.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA (exit 77 = skipped) TEST_KINDS_BINARY
set -u
riskstep=$1 source=$2
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] ||
  { echo "skip: dataset-fashion-mnist is not installed"; exit 77; }
mpirun=(mpirun --allow-run-as-root --oversubscribe -np 2)
work=$(mktemp -d /tmp/riskstep-train-resume.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
train=(train --epochs 2 --steps-per-epoch 10 --batch 32 --test-subset 200 --seed 3 --threads 1)

echo "== riskstep train: the issue's two commands, and an uninterrupted run"
"${mpirun[@]}" "$riskstep" "${train[@]}" --out whole.h5 > whole.txt 2>&1 || { cat whole.txt; fail "plain run"; }
"${mpirun[@]}" "$riskstep" "${train[@]}" --checkpoint-dir ck --stop-after-epochs 1 > stop.txt 2>&1
status=$?
[ "$status" -eq 3 ] || { cat stop.txt; fail "stop-after-epochs exited $status, expected 3"; }
grep -q "stopped after epoch 1 of 2" stop.txt || fail "no stop message"
"${mpirun[@]}" "$riskstep" "${train[@]}" --checkpoint-dir ck --resume --out resumed.h5 > resumed.txt 2>&1 ||
  { cat resumed.txt; fail "resume"; }
grep -q "resumed from ck/checkpoint.pt at epoch 2" resumed.txt || { cat resumed.txt; fail "did not resume at epoch 2"; }
grep -q "^epoch 1/2" resumed.txt && fail "the resumed run trained epoch 1 again"

compare() {  # A B [TASK]: the same task (A's only one, or TASK), the same final parameters and history
  PYTHONPATH="$source/report" /usr/bin/python3 - "$@" <<'PY'
import sys, h5py, numpy as np
from riskstep_report import reader
a, b = sys.argv[1:3]
ids = [sys.argv[3]] if len(sys.argv) > 3 else list(reader.load_tasks(a)["task_id"])
assert len(ids) == 1 and ids == list(reader.load_tasks(b)["task_id"]) or len(sys.argv) > 3, ids
with h5py.File(reader.results_path(a), "r") as fa, h5py.File(reader.results_path(b), "r") as fb:
    ta, tb = reader._task(fa, a, ids[0]), reader._task(fb, b, ids[0])
assert int(ta.attrs["seed"]) == int(tb.attrs["seed"])
assert ta.attrs["final_parameters_sha256"] == tb.attrs["final_parameters_sha256"], "parameters differ"
ha, hb = ta.tables["history"], tb.tables["history"]
assert len(ha) == len(hb) == 2, (len(ha), len(hb))
for name in ("epoch", "train_loss", "test_loss", "test_accuracy", "lr"):
    assert np.array_equal(ha[name], hb[name]), name
print("same task", ids[0], "same final parameters and history")
PY
}
compare whole.h5 resumed.h5 || fail "resumed run differs from the uninterrupted one"

echo "== SIGINT: exit 130 and the line that says how to continue; --resume then continues"
"$riskstep" train --epochs 3 --steps-per-epoch 40 --batch 32 --test-subset 200 --seed 3 \
  --threads 1 --checkpoint-dir ck_int > interrupted.txt 2> interrupted.err &
pid=$!
for _ in $(seq 1 600); do [ -e ck_int/checkpoint.pt ] && break; sleep 0.1; done
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || { cat interrupted.err; fail "SIGINT: exit $status, expected 130"; }
grep -q "riskstep train: interrupted; the last finished epoch is kept in ck_int: run the same command with --resume to continue" interrupted.err ||
  fail "no interruption line: $(cat interrupted.err)"
"$riskstep" train --epochs 3 --steps-per-epoch 40 --batch 32 --test-subset 200 --seed 3 \
  --threads 1 --checkpoint-dir ck_int --resume > continued.txt 2>&1 || fail "resume after SIGINT"
grep -q "resumed from ck_int/checkpoint.pt" continued.txt || fail "did not resume after SIGINT"

echo "== a checkpoint of another task is refused with one line"
"$riskstep" "${train[@]}" --attention se --checkpoint-dir ck --resume > other.txt 2> other.err
status=$?
[ "$status" -eq 2 ] || fail "another task's checkpoint: exit $status, expected 2"
[ "$(wc -l < other.err)" -eq 1 ] || fail "expected one line: $(cat other.err)"
grep -q "ck/task.json: setting 'attention': none there, se here" other.err || fail "$(cat other.err)"
"$riskstep" "${train[@]}" --checkpoint-dir ck > again.txt 2> again.err
[ $? -eq 1 ] && grep -q "holds a checkpoint of this training: --resume continues it" again.err ||
  fail "without --resume an existing checkpoint must be refused: $(cat again.err)"

echo "== riskstep sweep: --set stop_after_epochs=1, then a plain rerun"
cat > tiny.toml <<'TOML'
kind = "train_stepnet"
seed = 4
ranks_per_task = 2
[fixed]
depth = 8
epochs = 2
steps_per_epoch = 5
batch = 32
test_subset = 100
nsi_samples = 50
threads = 1
[grid]
attention = ["none", "stepnet"]
TOML
"${mpirun[@]}" "$riskstep" sweep tiny.toml --out whole --no-progress > sweep_whole.txt 2>&1 ||
  { cat sweep_whole.txt; fail "uninterrupted sweep"; }
"${mpirun[@]}" "$riskstep" sweep tiny.toml --out parts --no-progress --set stop_after_epochs=1 > part1.txt 2>&1
status=$?
[ "$status" -eq 3 ] || { cat part1.txt; fail "stopped sweep exited $status, expected 3"; }
grep -q "2 task(s) stopped before finishing" part1.txt || { cat part1.txt; fail "no stop summary"; }
"${mpirun[@]}" "$riskstep" sweep tiny.toml --out parts --no-progress > part2.txt 2>&1 ||
  { cat part2.txt; fail "rerun after the stop"; }
grep -q "(2 run now, 0 already done)" part2.txt || { cat part2.txt; fail "rerun did not run the stopped tasks"; }
grep -q "resumed from .* at epoch 2" part2.txt || { cat part2.txt; fail "rerun did not resume at epoch 2"; }
ids=$(PYTHONPATH="$source/report" /usr/bin/python3 -c \
  'import sys; from riskstep_report import reader; print(*reader.load_tasks(sys.argv[1]).task_id)' whole)
[ -n "$ids" ] || fail "no tasks in whole/results.h5"
for id in $ids; do
  compare whole parts "$id" || fail "task $id differs after stop and resume"
done

echo "== run settings never change task ids or seeds (dry run, no GPU needed)"
spec="$source/jobs/specs/stepnet_fmnist.toml"
listing() { "$riskstep" sweep "$spec" --out listing --dry-run "$@" | awk '/ pending /{print $1, $3}'; }
listing > plain.ids
[ "$(wc -l < plain.ids)" -eq 9 ] || fail "expected 9 tasks: $(cat plain.ids)"
for set in threads=1 threads=2 bucket_mb=2 device=cuda backend=nccl; do
  listing --set "$set" > set.ids
  cmp -s plain.ids set.ids || fail "--set $set changed task ids or seeds"
done
echo "PASS"
