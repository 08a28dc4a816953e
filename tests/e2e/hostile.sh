#!/usr/bin/env bash
# A hostile user (issue 11): for each numbered failure found by hand, a sample of the inputs that
# once aborted, overwrote, hung or lied. Nothing may abort (exit 134/139), overwrite what riskstep
# did not write, or lose finished work; every refusal is one line.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA TEST_KINDS_BINARY
set -u
riskstep=$1 source=$2 test_kinds=$4  # test_kinds: riskstep with the echo kind
work=$(mktemp -d /tmp/riskstep-hostile.XXXXXX)
tiny=""
cleanup() { [ -n "$tiny" ] && umount "$tiny" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
mpirun=(mpirun --allow-run-as-root --oversubscribe -np 2)

# run EXPECTED_STATUS NAME COMMAND...: runs it, keeps stdout/stderr in NAME.out/.err, checks status.
run() {
  local want=$1 name=$2; shift 2
  "$@" > "$name.out" 2> "$name.err"
  local status=$?
  [ "$status" -eq "$want" ] || fail "$name: exit $status, expected $want: $(head -c 600 "$name.err")"
}
one_line() { [ "$(wc -l < "$1.err")" -eq 1 ] || fail "$1: expected one line: $(head -c 600 "$1.err")"; }
says() { grep -q -- "$2" "$1.err" || fail "$1: message lacks '$2': $(head -c 600 "$1.err")"; }

echo "== 1. never replace what riskstep did not write"
echo precious > precious.txt
run 2 out_text "$riskstep" backtest --synthetic --models hs --out precious.txt
one_line out_text; says out_text "was not written by riskstep: use --force"
[ "$(cat precious.txt)" = precious ] || fail "precious.txt was changed"
run 2 out_device "$riskstep" backtest --synthetic --models hs --out /dev/full
says out_device "not a regular file"
[ -c /dev/full ] || fail "/dev/full is no longer a device"
run 0 out_force "$riskstep" backtest --synthetic --models hs --out precious.txt --force
run 0 out_again "$riskstep" backtest --synthetic --models hs --out precious.txt  # riskstep's now
mkdir foreign && echo mine > foreign/notes.txt
run 2 sweep_foreign "$riskstep" sweep "$source/jobs/specs/smoke.toml" --out foreign
says sweep_foreign "not a riskstep sweep directory"
[ "$(ls foreign)" = notes.txt ] || fail "a foreign directory was written into"

echo "== 2. no abort: duplicate models, impossible outputs"
run 2 dup_models "$riskstep" backtest --synthetic --models cmm,hs,cmm
says dup_models "listed twice"
for out in /proc/x /sys/x.h5 "$work"; do
  run 2 "out_$(basename "$out")" "$riskstep" backtest --synthetic --models hs --out "$out"
  one_line "out_$(basename "$out")"
done

echo "== 4. limits before expansion"
cat > huge.toml <<'TOML'
kind = "echo"
[grid]
i = "0-99999"
seed = "0-99999"
period = ["a", "b"]
model = ["a", "b"]
TOML
run 2 huge "$test_kinds" sweep huge.toml --out huge --dry-run
says huge "combinations (the limit, --max-tasks)"
run 2 seeds "$riskstep" backtest --synthetic --models mdn2 --seeds 0-100000000
says seeds "stands for more than 100000 integers"

echo "== 5. misspelt settings"
printf 'kind = "backtest_var"\n[fixed]\nwindw = 100\n' > typo.toml
run 2 typo "$riskstep" sweep typo.toml --out typo --dry-run
says typo "key 'fixed.windw': not a setting of backtest_var (did you mean 'window'?)"
run 2 set_typo "$riskstep" sweep "$source/jobs/specs/smoke.toml" --out x --dry-run --set grid.foo=1,2
says set_typo "--set grid.foo=1,2: key 'grid.foo': not a setting"

echo "== 6. bounded, printable messages"
{ printf 'kind = "backtest_var"\n[fixed]\ndata = "synthetic"\nindex = "a"\nmodel = "hs"\nperiod = "'
  head -c 10000000 /dev/zero | tr '\0' 'x'; printf '"\n'; } > big.toml
run 2 big "$riskstep" sweep big.toml --out big --dry-run
[ "$(wc -c < big.err)" -lt 2000 ] || fail "a 10 MB field gave a $(wc -c < big.err)-byte message"
one_line big
run 2 big_arg "$riskstep" backtest --synthetic --models hs --period "$(head -c 100000 big.toml | tail -c 90000)"
[ "$(wc -c < big_arg.err)" -lt 2000 ] || fail "a 90 kB option gave a $(wc -c < big_arg.err)-byte message"
run 2 binary "$riskstep" backtest --synthetic --models hs --index $'a\rb\x01c'
grep -q $'\r' binary.err && fail "a CR byte was echoed raw"
says binary '\\r'
printf 'kind = "echo"\n[grid]\nseed = "0-99999999999999999999"\n' > range.toml
run 2 range "$test_kinds" sweep range.toml --out r --dry-run
says range "is too large"
printf 'date,close\n2020-01-02,1\n2020-01-03,oops\n' > bad.csv
run 2 bad_csv "$riskstep" backtest --data bad.csv --models hs --out bad.h5
one_line bad_csv; says bad_csv "bad.csv:3:"
[ -e bad.h5 ] && fail "bad price data left a results file"

echo "== 7. nothing counted twice"
run 0 demo "$riskstep" backtest --synthetic --models hs --levels 0.01 --out demo.h5
run 0 agg_twice "$riskstep" aggregate demo.h5 demo.h5 ./demo.h5 --csv
[ "$(wc -l < agg_twice.out)" -eq 2 ] || fail "aggregate of one file given three times: $(cat agg_twice.out)"
run 2 levels "$riskstep" backtest --synthetic --models hs --levels 0.01,0.01
says levels "listed twice"

echo "== 8. an absurd learning rate is bad input, not a run that ends in NaN with exit 0"
run 2 lr "$riskstep" train --epochs 1 --steps-per-epoch 3 --batch 16 --train-subset 64 \
  --test-subset 32 --nsi-samples 8 --depth 8 --lr 1e30
one_line lr; says lr "setting 'lr'"

echo "== 9. one run per output directory; temporaries of live writers are kept"
spec="$source/tests/specs/resume.toml"
RISKSTEP_ECHO_LOG=$work/locked.log "$test_kinds" sweep "$spec" --out locked --no-progress \
  --set work_ms=400 > first.out 2>&1 &
first=$!
for _ in $(seq 1 100); do [ -e locked/sweep.json ] && break; sleep 0.05; done
live_tmp="locked/parts/0000000000000000.h5.tmp.$(hostname).$first"
mkdir -p locked/parts && touch "$live_tmp"  # as if the first were writing a part
run 2 second "$test_kinds" sweep "$spec" --out locked --no-progress --set work_ms=400
says second "is in use by riskstep (host $(hostname) pid $first"
[ -e "$live_tmp" ] || fail "a live writer's temporary was deleted"
run 0 waited "$test_kinds" sweep "$spec" --out locked --no-progress --set work_ms=400 --wait
says waited "is in use by"
grep -q "(0 run now, 40 already done)" waited.out || fail "--wait: $(cat waited.out)"
wait "$first" || fail "the first sweep failed"

echo "== 10. bit rot is caught"
run 0 smoke "$riskstep" sweep "$source/jobs/specs/smoke.toml" --out rot --no-progress
cp -a rot rot_before  # results.h5 links /tasks into parts/: the copy keeps both
# A flipped byte in the body of one task record (not the log's metadata frame) fails its sha256:
# that task alone is run again.
victim=$(/usr/bin/python3 "$source/tests/e2e/count_records.py" rot --list | head -1)
[ -n "$victim" ] || fail "no task record in rot/logs"
read -r victim_id _ _ victim_log _ victim_body victim_length <<< "$victim"
/usr/bin/python3 - "$victim_log" $((victim_body + victim_length / 2)) <<'PY' || fail "could not flip a bit"
import sys
path, offset = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:  # the same size, one bit different
    f.seek(offset)
    byte = f.read(1)[0]
    f.seek(offset)
    f.write(bytes([byte ^ 0x40]))
PY
run 0 rot_resume "$riskstep" sweep "$source/jobs/specs/smoke.toml" --out rot --no-progress
says rot_resume "checksum"
grep -q "(1 run now, 11 already done)" rot_resume.out || fail "the corrupt record was not recomputed: $(cat rot_resume.out)"
/usr/bin/python3 "$source/tests/e2e/count_records.py" rot --list | grep -q "^$victim_id " ||
  fail "task $victim_id has no valid record after the rerun"
"$riskstep" aggregate rot_before/results.h5 --csv > rot_before.csv || fail "aggregate of the copy failed"
"$riskstep" aggregate rot/results.h5 --csv > rot_after.csv || fail "aggregate after the rerun failed"
cmp -s rot_before.csv rot_after.csv || fail "the recomputed task differs: $(diff rot_before.csv rot_after.csv | head -5)"
# A flipped byte in a part file breaks the digest its name carries: the merge makes it again from
# the log, the same tasks with the same numbers.
rm -rf rot_before && cp -a rot rot_before
part=$(ls rot/parts/*.h5 | head -1)
/usr/bin/python3 - "$part" <<'PY' || fail "could not flip a bit of $part"
import os, sys
with open(sys.argv[1], "r+b") as f:  # one bit in the middle of the file
    f.seek(os.path.getsize(sys.argv[1]) // 2)
    byte = f.read(1)[0]
    f.seek(-1, 1)
    f.write(bytes([byte ^ 0x40]))
PY
run 0 rot_merge "$riskstep" sweep "$source/jobs/specs/smoke.toml" --out rot --no-progress --merge-only
for p in rot/parts/*.h5; do
  /usr/bin/python3 - "$p" <<'PY' || fail "part $p does not match the digest in its name"
import hashlib, sys
path = sys.argv[1]
assert hashlib.sha256(open(path, "rb").read()).hexdigest()[:16] == path.rsplit(".", 2)[-2], path
PY
done
"$riskstep" aggregate rot/results.h5 --csv > rot_after.csv || fail "aggregate after the merge failed"
cmp -s rot_before.csv rot_after.csv ||
  fail "results differ after the damaged part was made again: $(diff rot_before.csv rot_after.csv | head -5)"
# A reader of a damaged part is told which file and what to do, in one line.
cp -a rot rotten
/usr/bin/python3 - "$(ls rotten/parts/*.h5 | head -1)" <<'PY' || fail "could not flip a bit"
import os, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(os.path.getsize(sys.argv[1]) // 2)
    byte = f.read(1)[0]
    f.seek(-1, 1)
    f.write(bytes([byte ^ 0x40]))
PY
run 2 rot_aggregate "$riskstep" aggregate rotten/results.h5
one_line rot_aggregate; says rot_aggregate "rotten/parts/"; says rot_aggregate "merge-only on rotten"
# ...and of a damaged results file itself.
dd if=/dev/urandom of=rotten/results.h5 bs=4096 count=1 conv=notrunc 2> /dev/null
run 2 rot_results "$riskstep" aggregate rotten/results.h5
one_line rot_results; says rot_results "rotten/results.h5"

echo "== 11. signals and a dead launcher"
"$test_kinds" sweep "$spec" --out term --no-progress --set work_ms=300 > term.out 2> term.err &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid"
[ $? -eq 143 ] || fail "SIGTERM: exit status is not 128+15"
cat > parent.sh <<EOF
SLURM_STEP_ID=0 "$test_kinds" sweep "$spec" --out orphan --no-progress --set work_ms=30000 > orphan.out 2>&1
EOF
setsid bash parent.sh &
parent=$!
# Kill the launcher once the rank runs (its sweep.json is written after start-up: on a loaded
# machine loading LibTorch alone can take seconds, and a rank that starts after its launcher died
# never knew it).
for _ in $(seq 1 1200); do [ -e orphan/sweep.json ] && break; sleep 0.05; done
[ -e orphan/sweep.json ] || fail "the orphan sweep did not start within 60 s: $(cat orphan.out)"
kill -9 "$parent"
for _ in $(seq 1 150); do pgrep -f "out orphan" > /dev/null || break; sleep 0.1; done
if pgrep -f "out orphan" > /dev/null; then
  ps -o pid,ppid,stat,cmd -p "$(pgrep -d, -f "out orphan")"
  pkill -9 -f "out orphan"
  fail "a rank whose launcher died kept running: $(cat orphan.out)"
fi
grep -q "launcher (pid $parent) is gone" orphan.out || fail "no message from the orphaned rank"

echo "== 12. Slurm submission refuses what would fail on the cluster"
printf 'kind = "echo"\n[grid]\nmodel = ["a" "b"]\n' > broken.toml
run 2 slurm_broken "$test_kinds" slurm submit broken.toml --out s --dry-run
says slurm_broken "broken.toml:3:"
run 2 slurm_array "$riskstep" slurm submit "$source/jobs/specs/smoke.toml" --out s --array 0 --dry-run
says slurm_array "--array"
printf 'kind = "backtest_var"\n[fixed]\ndata_dir = "."\nmodel = "hs"\nindex = "../evil"\n' > evil.toml
run 2 evil "$riskstep" sweep evil.toml --out e --dry-run
says evil "setting 'index': expected a name"

echo "== 3. a full disk: named, no crash, the next run finishes the work"
if [ "$(id -u)" -eq 0 ] && mkdir -p tiny && mount -t tmpfs -o size=700k tmpfs tiny 2> /dev/null; then
  tiny=$work/tiny
  "${mpirun[@]}" "$riskstep" sweep "$source/jobs/specs/smoke.toml" --out tiny/smoke --no-progress \
    > full.out 2> full.err
  status=$?
  [ "$status" -eq 1 ] || [ "$status" -eq 2 ] || fail "full disk: exit $status: $(tail -5 full.err)"
  grep -q "No space left on device" full.err || fail "full disk: ENOSPC not named: $(tail -5 full.err)"
  stored=$(/usr/bin/python3 "$source/tests/e2e/count_records.py" tiny/smoke)
  # slurm submit on the full disk: named, nothing submitted (no sbatch is reached), no torn script.
  head -c 800000 /dev/zero > tiny/filler 2> /dev/null
  run 1 slurm_full "$riskstep" slurm submit "$source/jobs/specs/smoke.toml" --out tiny/job
  says slurm_full "No space left on device (nothing submitted)"
  [ -z "$(ls tiny/job/slurm 2> /dev/null)" ] || fail "slurm submit left files: $(ls tiny/job/slurm)"
  rm -f tiny/filler
  mount -o remount,size=8m "$tiny" || fail "cannot grow the tmpfs"
  "${mpirun[@]}" "$riskstep" sweep "$source/jobs/specs/smoke.toml" --out tiny/smoke --no-progress \
    > full2.out 2> full2.err || fail "after freeing space: $(cat full2.out full2.err | tail -5)"
  grep -q "($((12 - stored)) run now, $stored already done)" full2.out ||
    fail "the rerun did not compute exactly the unstored tasks: $(cat full2.out)"
else
  echo "(not root or no tmpfs: full-disk case skipped)"
fi
echo "PASS"
