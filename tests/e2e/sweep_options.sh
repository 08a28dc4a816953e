#!/usr/bin/env bash
# Every option of `riskstep sweep --help` through the binary on 2 ranks, with the "echo" kind:
# --out, --dry-run, --set, --retry-failed, --shard with --merge-only, --device, --wait,
# --max-tasks, --force, --no-progress. The script fails when --help lists an option it does not
# use, so a new option cannot go untested.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR TEST_KINDS_BINARY
set -euo pipefail
riskstep=$4 source=$2  # the test binary: riskstep with the echo kind (tests/kinds)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mpirun=(mpirun -np 2 --oversubscribe); [ "$(id -u)" -ne 0 ] || mpirun+=(--allow-run-as-root)
sweep() { "${mpirun[@]}" "$riskstep" sweep "$@"; }
used="$work/used.txt"
uses() { printf '%s\n' "$@" >> "$used"; }
tasks_in() {
  /usr/bin/python3 -c 'import h5py, sys; print(len(h5py.File(sys.argv[1])["tasks"]))' "$1"
}
cat > "$work/spec.toml" <<'EOF'
kind = "echo"
seed = 3
[fixed]
work_ms = 20
[grid]
model = ["a", "b"]
i = "0-5"
EOF

# --dry-run lists without running; --out and --set.
"$riskstep" sweep "$work/spec.toml" --out "$work/d" --dry-run --set i=0-2 > "$work/dry.txt"
[ "$(grep -c '  pending  ' "$work/dry.txt")" -eq 6 ] || fail "--dry-run --set i=0-2: expected 6 tasks"
[ ! -e "$work/d/results.h5" ] || fail "--dry-run ran tasks"
# Without --out (and no out in the spec) a dry run still lists; a real run is refused.
(cd "$work" && "$riskstep" sweep spec.toml --dry-run > "$work/dry_no_out.txt") ||
  fail "--dry-run without --out failed"
grep -q "12 tasks (0 done, 0 failed, 12 pending) -> no output directory yet" "$work/dry_no_out.txt" ||
  fail "--dry-run without --out: $(tail -1 "$work/dry_no_out.txt")"
[ ! -e "$work/tasks" ] || fail "--dry-run without --out created files"
uses --dry-run --set --out

# --no-progress: no progress line; without a terminal none either, unless --progress asks for
# it (it then counts tasks, not work units).
sweep "$work/spec.toml" --out "$work/p" --no-progress > "$work/quiet.txt" 2>&1
grep -q "done, 0 failed, elapsed" "$work/quiet.txt" && fail "--no-progress printed progress"
[ "$(tasks_in "$work/p/results.h5")" -eq 12 ] || fail "expected 12 tasks"
sweep "$work/spec.toml" --out "$work/q" --set batch_by=model > "$work/default.txt" 2>&1
grep -q "tasks done" "$work/default.txt" && fail "a progress line without a terminal"
sweep "$work/spec.toml" --out "$work/q2" --set batch_by=model --progress > "$work/loud.txt" 2>&1
grep -q "sweep: 12/12 tasks done, 0 failed" "$work/loud.txt" ||
  fail "--progress: $(cat "$work/loud.txt")"
set +e
"$riskstep" sweep "$work/spec.toml" --out "$work/q3" --progress --no-progress > "$work/both.txt" 2>&1
status=$?
set -e
[ "$status" -eq 2 ] && grep -q -- "--progress and --no-progress: give one of them" "$work/both.txt" ||
  fail "--progress --no-progress: exit $status, $(cat "$work/both.txt")"
uses --no-progress --progress

# --retry-failed: a failure is recorded; a plain rerun keeps it, --retry-failed runs it again.
touch "$work/flag"
set +e
sweep "$work/spec.toml" --out "$work/r" --set fail_if=b --set "fail_flag_file=$work/flag" \
  --no-progress > "$work/r1.txt" 2>&1; status=$?
set -e
[ "$status" -eq 1 ] || fail "failing tasks: exit $status, expected 1"
rm "$work/flag"
set +e
sweep "$work/spec.toml" --out "$work/r" --set fail_if=b --set "fail_flag_file=$work/flag" \
  --no-progress > "$work/r2.txt" 2>&1; status=$?
set -e
[ "$status" -eq 1 ] || fail "a plain rerun retried failed tasks"
sweep "$work/spec.toml" --out "$work/r" --set fail_if=b --set "fail_flag_file=$work/flag" \
  --retry-failed --no-progress > "$work/r3.txt" 2>&1 || fail "--retry-failed: $(tail -2 "$work/r3.txt")"
uses --retry-failed

# --shard i/n, then --merge-only: the same results as one run.
for shard in 0/2 1/2; do
  sweep "$work/spec.toml" --out "$work/s" --shard "$shard" --no-progress > /dev/null 2>&1 ||
    fail "--shard $shard"
done
[ ! -e "$work/s/results.h5" ] || fail "a shard wrote results.h5"
sweep "$work/spec.toml" --out "$work/s" --merge-only --no-progress > /dev/null 2>&1 ||
  fail "--merge-only"
[ "$(tasks_in "$work/s/results.h5")" -eq 12 ] || fail "--merge-only: expected 12 tasks"
uses --shard --merge-only

# --device: tasks of device "auto" record the run's; cuda without a GPU is refused (exit 2).
sweep "$work/spec.toml" --out "$work/c" --device cpu --no-progress > /dev/null 2>&1 || fail "--device cpu"
PYTHONPATH="$source/report" /usr/bin/python3 - "$work/c/results.h5" <<'PY' || fail "--device cpu not recorded"
import sys, h5py
from riskstep_report import reader
with h5py.File(sys.argv[1]) as f:
    devices = {reader.text(attrs["device"]) for _, attrs in reader._task_attributes(f)}
assert devices == {"cpu"}, devices
PY
if ! command -v nvidia-smi > /dev/null; then
  set +e
  sweep "$work/spec.toml" --out "$work/g" --device cuda --set device=cuda --no-progress \
    > "$work/cuda.txt" 2>&1; status=$?
  set -e
  [ "$status" -eq 2 ] || fail "--device cuda without a GPU: exit $status, expected 2"
fi
uses --device

# --wait: a second run into a directory in use waits, then finds everything done.
# The first run holds the directory for at least 6 s (12 tasks of 1 s on 2 ranks); under a loaded
# CI machine mpirun may take seconds to start it, so wait for its sweep.json up to 60 s.
sweep "$work/spec.toml" --out "$work/w" --set work_ms=1000 --no-progress > "$work/w1.txt" 2>&1 &
first=$!
for _ in $(seq 1 1200); do [ -e "$work/w/sweep.json" ] && break; sleep 0.05; done
[ -e "$work/w/sweep.json" ] || fail "the first run did not start within 60 s: $(cat "$work/w1.txt")"
set +e
"$riskstep" sweep "$work/spec.toml" --out "$work/w" --set work_ms=1000 --no-progress \
  > "$work/busy.txt" 2>&1; status=$?
set -e
[ "$status" -eq 2 ] && grep -q "in use" "$work/busy.txt" ||
  fail "a second run was not refused (exit $status): $(cat "$work/busy.txt")"
"$riskstep" sweep "$work/spec.toml" --out "$work/w" --set work_ms=1000 --wait --no-progress \
  > "$work/w2.txt" 2>&1 || fail "--wait: $(tail -2 "$work/w2.txt")"
wait "$first" || fail "the first run failed"
grep -q "0 run now, 12 already done" "$work/w2.txt" || fail "--wait did not find the tasks done"
uses --wait

# --max-tasks: a larger grid is refused before it is expanded.
set +e
"$riskstep" sweep "$work/spec.toml" --out "$work/m" --max-tasks 5 > "$work/max.txt" 2>&1; status=$?
set -e
[ "$status" -eq 2 ] && grep -q "max-tasks" "$work/max.txt" || fail "--max-tasks 5 not refused"
uses --max-tasks

# --force: another sweep into a directory is refused, and runs with --force.
set +e
"$riskstep" sweep "$work/spec.toml" --out "$work/p" --set i=0-1 --no-progress > "$work/other.txt" 2>&1
status=$?
set -e
[ "$status" -eq 2 ] && grep -q "different sweep" "$work/other.txt" || fail "another sweep not refused"
"$riskstep" sweep "$work/spec.toml" --out "$work/p" --set i=0-1 --force --no-progress > /dev/null 2>&1 ||
  fail "--force"
uses --force

"$riskstep" sweep --help | grep -oE -- '--[a-z][a-z0-9-]*' | grep -v -- '--help' | sort -u \
  > "$work/documented.txt"
missing=$(sort -u "$used" | comm -23 "$work/documented.txt" -)
[ -z "$missing" ] || fail "options in --help that this test does not run: $missing"
echo ok
