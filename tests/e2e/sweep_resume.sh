#!/bin/bash
# Kill a whole 2-rank sweep half-way (SIGKILL to its process group), run the same command again,
# and check: it finishes, no task record that was in the record logs (DIR/logs) after the kill was
# rewritten or recomputed, no temporary is left, and results.h5 matches an uninterrupted run. Uses the "echo" job kind (tests/kinds/echo), whose
# RISKSTEP_ECHO_LOG lists every task run.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA (exit 77 = skipped) TEST_KINDS_BINARY
set -u
BINARY=$4  # the test binary: riskstep with the echo kind (tests/kinds)
SOURCE=$2
MPIRUN="mpirun --allow-run-as-root --oversubscribe -np 2"
SPEC="$SOURCE/tests/specs/resume.toml"
WORK=$(mktemp -d /tmp/riskstep-resume.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
records() { /usr/bin/python3 "$SOURCE/tests/e2e/count_records.py" "$@"; }  # DIR [--list]
done_count() {  # OUT: the finished tasks, as the engine counts them ("N done" of --dry-run)
  "$BINARY" sweep "$SPEC" --out "$1" --dry-run | tail -1 | sed -n 's/.*(\([0-9]*\) done,.*/\1/p'
}

run_sweep() {  # OUT
  RISKSTEP_ECHO_LOG="$1.log" $MPIRUN -x RISKSTEP_ECHO_LOG \
    "$BINARY" sweep "$SPEC" --out "$1" --no-progress > "$1.stdout" 2>&1
}

echo "== reference run"
run_sweep "$WORK/ref" || { cat "$WORK/ref.stdout"; fail "reference run failed"; }

echo "== run to kill"
RISKSTEP_ECHO_LOG="$WORK/run.log" setsid $MPIRUN -x RISKSTEP_ECHO_LOG \
  "$BINARY" sweep "$SPEC" --out "$WORK/run" --no-progress > "$WORK/killed.stdout" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
  [ "$(records "$WORK/run")" -ge 10 ] && break
  sleep 0.05
done
# mpirun puts its ranks in process groups of their own: kill everything in the session setsid made.
kill -9 $(ps -o pid= -s "$PID") 2>/dev/null
wait "$PID" 2>/dev/null
for _ in $(seq 1 50); do [ -z "$(ps -o pid= -s "$PID")" ] && break; sleep 0.1; done
DONE=$(done_count "$WORK/run")
echo "killed with $DONE of 40 tasks recorded"
[ -n "$DONE" ] && [ "$DONE" -ge 1 ] && [ "$DONE" -lt 40 ] || fail "the kill did not land half-way ($DONE done)"
[ "$(records "$WORK/run")" -eq "$DONE" ] || fail "--dry-run says $DONE done, the logs hold $(records "$WORK/run")"
[ -e "$WORK/run/results.h5" ] && fail "results.h5 exists after the kill"
records "$WORK/run" --list | sort > "$WORK/before.txt"
cp -a "$WORK/run/logs" "$WORK/logs_at_kill"
cp "$WORK/run.log" "$WORK/log_at_kill.txt"

echo "== resume"
run_sweep "$WORK/run" || { cat "$WORK/run.stdout"; fail "resumed run failed"; }
grep -q "($((40 - DONE)) run now, $DONE already done)" "$WORK/run.stdout" ||
  { cat "$WORK/run.stdout"; fail "the resume did not skip the $DONE finished tasks"; }
grep "sweep:" "$WORK/run.stdout"

# The logs written before the kill are untouched: the same bytes (a torn last frame aside, they are
# only ever appended to), and every record in them is still there at the same place.
for old in "$WORK"/logs_at_kill/*.log; do
  new="$WORK/run/logs/$(basename "$old")"
  [ -f "$new" ] || fail "log $(basename "$old") is gone after the resume"
  cmp -n "$(stat -c %s "$old")" "$old" "$new" || fail "log $(basename "$old") was rewritten"
done
records "$WORK/run" --list | sort > "$WORK/after.txt"
missing=$(comm -23 "$WORK/before.txt" "$WORK/after.txt")
[ -z "$missing" ] || fail "records finished before the kill are gone or moved: $missing"
# ...and their tasks were not run again: each such id appears once in the run log.
for id in $(cut -d' ' -f1 "$WORK/before.txt"); do
  c=$(grep -c "^$id\$" "$WORK/run.log")
  [ "$c" -eq 1 ] || fail "task $id ran $c times"
done
[ "$(done_count "$WORK/run")" -eq 40 ] || fail "not all 40 tasks done"
[ "$(records "$WORK/run")" -eq 40 ] || fail "the logs do not hold all 40 tasks"
[ "$(cut -d' ' -f1 "$WORK/after.txt" | sort | uniq -d)" = "" ] || fail "a task was recorded twice"
left=$(find "$WORK/run" -name '*.tmp.*')
[ -z "$left" ] && [ -z "$(find "$WORK/ref" -name '*.tmp.*')" ] || fail "temporary files left: $left"
ls "$WORK"/run/parts/*.h5 > /dev/null 2>&1 || fail "no part files after the resume"

echo "== compare with the uninterrupted run"
/usr/bin/python3 - "$SOURCE/report" "$WORK/ref/results.h5" "$WORK/run/results.h5" <<'PY' || fail "results differ"
import sys
sys.path.insert(0, sys.argv[1])
from riskstep_report.reader import load_summary, load_tasks  # reads every results layout
a, b = (load_tasks(p) for p in sys.argv[2:4])
assert list(a["task_id"]) == list(b["task_id"]) and len(a) == 40, (len(a), len(b))
assert set(a["status"]) == {"ok"} and set(b["status"]) == {"ok"}
varying = {"wall_seconds", "rank", "host"}
same = [c for c in a.columns if c not in varying]
assert a[same].astype(str).equals(b[same].astype(str)), "task settings differ"
sa, sb = (load_summary(p) for p in sys.argv[2:4])
keep = [c for c in sa.columns if c not in varying]
sa, sb = (s[keep].sort_values(list(keep)).reset_index(drop=True).astype(str) for s in (sa, sb))
assert len(sa) > 0 and sa.equals(sb), "summaries differ"
print("identical tasks and summary for", len(a), "tasks")
PY
echo "PASS"
