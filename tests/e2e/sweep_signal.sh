#!/bin/bash
# SIGTERM to a running 2-rank sweep (what Ctrl-C, kill or scancel deliver): it stops within a few
# seconds with a message, leaves no half-written file, and the same command then finishes the
# remaining tasks only. Uses the "echo" job kind (tests/kinds/echo).
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA (exit 77 = skipped) TEST_KINDS_BINARY
set -u
BINARY=$4  # the test binary: riskstep with the echo kind (tests/kinds)
SOURCE=$2
MPIRUN="mpirun --allow-run-as-root --oversubscribe -np 2"
SPEC="$SOURCE/tests/specs/resume.toml"
WORK=$(mktemp -d /tmp/riskstep-signal.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
records() { /usr/bin/python3 "$SOURCE/tests/e2e/count_records.py" "$@"; }  # DIR [--list]
done_count() {  # OUT: the finished tasks, as the engine counts them ("N done" of --dry-run)
  "$BINARY" sweep "$SPEC" --out "$1" --dry-run | tail -1 | sed -n 's/.*(\([0-9]*\) done,.*/\1/p'
}
export RISKSTEP_ECHO_LOG="$WORK/runs.log"
sweep() {  # OUT: the sweep of the spec into OUT, on 2 ranks
  $MPIRUN -x RISKSTEP_ECHO_LOG "$BINARY" sweep "$SPEC" --out "$1" --no-progress
}

setsid $MPIRUN -x RISKSTEP_ECHO_LOG "$BINARY" sweep "$SPEC" --out "$WORK/out" --no-progress \
  > "$WORK/first.txt" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
  [ "$(records "$WORK/out")" -ge 8 ] && break
  sleep 0.05
done
START=$(date +%s.%N)
kill -TERM "$PID"
for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then
  kill -9 $(ps -o pid= -s "$PID") 2>/dev/null
  fail "still running 10 s after SIGTERM"
fi
wait "$PID"
STATUS=$?
ELAPSED=$(echo "$(date +%s.%N) - $START" | bc)
# Leftover ranks (if mpirun died before its children) must be gone too.
for _ in $(seq 1 100); do [ -z "$(ps -o pid= -s "$PID")" ] && break; sleep 0.1; done
[ -z "$(ps -o pid= -s "$PID")" ] || fail "ranks still running after mpirun exited"
DONE=$(done_count "$WORK/out")
echo "stopped after ${ELAPSED}s with status $STATUS and $DONE of 40 tasks recorded"
[ -n "$DONE" ] || fail "--dry-run did not count the finished tasks"
[ "$STATUS" -ne 0 ] || fail "an interrupted sweep exited 0"
[ "$DONE" -lt 40 ] || fail "the sweep finished before the signal"
grep -q "interrupted; finished tasks are kept" "$WORK/first.txt" || { cat "$WORK/first.txt"; fail "no interruption message"; }
[ -e "$WORK/out/results.h5" ] && fail "results.h5 written by an interrupted run"
[ -z "$(find "$WORK/out" -name '*.tmp.*')" ] || fail "half-written temporaries left behind"
# Every frame in the logs is whole: an interrupted run leaves no torn or damaged record.
/usr/bin/python3 - "$WORK"/out/logs/*.log <<'PY' || fail "a record log holds a torn or damaged frame"
import hashlib, struct, sys
for path in sys.argv[1:]:
    data, pos = open(path, "rb").read(), 0
    while pos < len(data):
        assert data[pos:pos + 8] == b"RSKREC1\n", (path, pos, "no frame magic")
        (length,) = struct.unpack_from("<Q", data, pos + 8)
        body = data[pos + 48:pos + 48 + length]
        assert len(body) == length and hashlib.sha256(body).digest() == data[pos + 16:pos + 48], (path, pos)
        pos += 48 + length
PY
BEFORE=$(records "$WORK/out")
[ "$BEFORE" -eq "$DONE" ] || fail "--dry-run says $DONE done, the logs hold $BEFORE"

sweep "$WORK/out" > "$WORK/second.txt" 2>&1 || { cat "$WORK/second.txt"; fail "resume failed"; }
grep "sweep: 40 tasks" "$WORK/second.txt"
grep -q "($((40 - BEFORE)) run now, $BEFORE already done)" "$WORK/second.txt" ||
  fail "resume did not skip the $BEFORE finished tasks"

echo "== SIGUSR1 (time limit near): no new task, running ones finish, exit status 3"
setsid $MPIRUN -x RISKSTEP_ECHO_LOG "$BINARY" sweep "$SPEC" --out "$WORK/usr1" --no-progress \
  > "$WORK/usr1.txt" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
  [ "$(records "$WORK/usr1")" -ge 8 ] && break
  sleep 0.05
done
kill -USR1 "$PID"  # mpirun passes USR1 on to every rank
for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && { kill -9 $(ps -o pid= -s "$PID"); fail "still running after USR1"; }
wait "$PID"
STATUS=$?
[ "$STATUS" -eq 3 ] || { cat "$WORK/usr1.txt"; fail "USR1 gave status $STATUS, not 3"; }
grep -q "stopped on request (SIGUSR1)" "$WORK/usr1.txt" || fail "no stop message"
[ -e "$WORK/usr1/results.h5" ] || fail "a stopped sweep writes what is done into results.h5"
[ -z "$(find "$WORK/usr1" -name '*.tmp.*')" ] || fail "temporaries left after USR1"
N=$(done_count "$WORK/usr1")
echo "stopped with $N of 40 tasks recorded"
[ -n "$N" ] && [ "$N" -lt 40 ] || fail "USR1 did not stop the sweep early ($N done)"
[ "$(/usr/bin/python3 -c 'import h5py, sys; print(len(h5py.File(sys.argv[1])["tasks"]))' "$WORK/usr1/results.h5")" -eq "$N" ] ||
  fail "results.h5 of the stopped sweep does not hold its $N finished tasks"
sweep "$WORK/usr1" > "$WORK/usr1-second.txt" 2>&1 ||
  { cat "$WORK/usr1-second.txt"; fail "resume after USR1 failed"; }
grep -q "($((40 - N)) run now, $N already done)" "$WORK/usr1-second.txt" ||
  fail "resume after USR1 did not skip the $N finished tasks"
echo "PASS"
