#!/bin/bash
# The record-log storage (format 4) through the binary, as a user meets it:
#  1. a directory of the previous format (tests/data/format3_echo, made by riskstep-results-3):
#     aggregate and the report package still read it, its records equal those a format-4 run
#     computes for the same tasks, and a sweep into it is refused with one line;
#  2. two shards into one directory at once, merged with --merge-only: the same results as one run;
#     a flipped bit in one record of a finished directory: that task alone runs again, and the
#     results equal the undamaged ones (the part of that log is made again: its rows shifted);
#  3. a disk that fills up during the merge: named, exit 1, the logs untouched and no temporary
#     left; after freeing space --merge-only gives the same results;
#  4. a second run into a directory in use waits (--wait) and then computes nothing again.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA TEST_KINDS_BINARY
set -u
binary=$4  # riskstep with the echo kind
source=$2
mpirun=(mpirun --allow-run-as-root --oversubscribe -np 2)
work=$(mktemp -d /tmp/riskstep-storage.XXXXXX)
cleanup() {
  mountpoint -q "$work/tiny" 2> /dev/null && umount "$work/tiny"
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$work" || exit 1

# The /summary rows and every task's datasets and result attributes (not where or how fast it
# ran), as sorted text: equal output means equal results.
dump() {
  PYTHONPATH="$source/report" /usr/bin/python3 - "$1" <<'PY'
import sys, h5py, numpy as np
from riskstep_report import reader
engine = {"wall_seconds", "rank", "host", "sha256", "task_id"}
def plain(value):
    value = value.item() if isinstance(value, np.generic) else value
    return reader.text(value) if isinstance(value, (bytes, str)) else value
path = sys.argv[1]
with h5py.File(path, "r") as f:
    for task in reader.load_tasks(path)["task_id"]:
        stored = reader._task(f, path, task)
        print(task, sorted((k, plain(v)) for k, v in stored.attrs.items() if k not in engine))
        for name, (values, col_names) in sorted(stored.datasets.items()):
            print(name, values.dtype, values.shape, values.tolist(), col_names)
        for name, rows in sorted(stored.tables.items()):
            print(name, [tuple(plain(v) for v in row) for row in rows.tolist()])
    print(sorted(str(r) for r in f["summary"][()].tolist()))
PY
}

echo "== 1. the previous format"
cp -r "$source/tests/data/format3_echo" old
spec=old/spec.toml
"${mpirun[@]}" "$binary" sweep "$spec" --out new --no-progress > new.out 2>&1 || fail "$(cat new.out)"
dump old/results.h5 > old.txt && dump new/results.h5 > new.txt || fail "cannot read the results"
diff old.txt new.txt > /dev/null || fail "format 3 and 4 records differ: $(diff old.txt new.txt | head -5)"
"$binary" aggregate old > old.md && "$binary" aggregate new > new.md || fail "aggregate failed"
cmp -s old.md new.md || fail "aggregate differs: $(diff old.md new.md | head -5)"
PYTHONPATH="$source/report" /usr/bin/python3 -c "
import sys
from riskstep_report import reader
old, new = reader.load_summary('old'), reader.load_summary('new')
assert old.equals(new), (old, new)
task = old['task_id'][0]
assert reader.load_task_table('old', task, 'stats').equals(reader.load_task_table('new', task, 'stats'))
" || fail "the report package reads the two formats differently"
"$binary" sweep "$spec" --out old --no-progress > refused.out 2> refused.err
[ $? -eq 2 ] || fail "a sweep into a format-3 directory was not refused: $(cat refused.err)"
[ "$(wc -l < refused.err)" -eq 1 ] && grep -q "results format 3.*run into another --out" refused.err ||
  fail "not one line saying what to do: $(cat refused.err)"

echo "== 2. two shards at once into one directory, then merged"
printf 'kind = "echo"\n[grid]\ni = "0-199"\n' > grid.toml
"${mpirun[@]}" "$binary" sweep grid.toml --out whole --no-progress > whole.out 2>&1 || fail "$(cat whole.out)"
"$binary" sweep grid.toml --out sharded --shard 0/2 --no-progress > s0.out 2>&1 &
first=$!
"$binary" sweep grid.toml --out sharded --shard 1/2 --no-progress > s1.out 2>&1 || fail "$(cat s1.out)"
wait $first || fail "shard 0: $(cat s0.out)"
[ ! -e sharded/results.h5 ] || fail "a shard wrote results.h5"
"${mpirun[@]}" "$binary" sweep grid.toml --out sharded --merge-only --no-progress > merged.out 2>&1 ||
  fail "merge: $(cat merged.out)"
grep -q "200 ok, 0 failed (0 run now, 200 already done)" merged.out || fail "merge line: $(cat merged.out)"
"$binary" sweep grid.toml --out half --shard 0/2 --no-progress > half.out 2>&1 || fail "$(cat half.out)"
"$binary" sweep grid.toml --out half --merge-only --no-progress > half_merged.out 2>&1
[ $? -eq 1 ] && grep -q "100 ok, 0 failed, 100 missing (0 run now, 100 already done)" half_merged.out ||
  fail "a merge of one shard of two: $(head -2 half_merged.out)"
dump whole/results.h5 > whole.txt && dump sharded/results.h5 > sharded.txt
cmp -s whole.txt sharded.txt || fail "merged shards differ from one run"

echo "== 2b. a flipped bit in a record of a merged directory: that task alone runs again"
cp -r whole flipped && rm -f flipped/riskstep.lock
/usr/bin/python3 - flipped/logs/*.r00000.log <<'PY' || fail "could not flip a bit"
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
frames = [i for i in range(len(data)) if data.startswith(b"RSKREC1\n", i)]
data[frames[5] + 60] ^= 0x10  # inside the sixth frame's body (the first is the run's metadata)
open(path, "wb").write(data)
PY
"${mpirun[@]}" "$binary" sweep grid.toml --out flipped --no-progress > flipped.out 2>&1 || fail "$(cat flipped.out)"
grep -q "checksum mismatch" flipped.out || fail "the damage was not named: $(cat flipped.out)"
grep -q "(1 run now, 199 already done)" flipped.out || fail "not exactly one task rerun: $(cat flipped.out)"
dump flipped/results.h5 > flipped.txt
cmp -s whole.txt flipped.txt || fail "results after the bit flip differ: $(diff whole.txt flipped.txt | head -3)"

echo "== 3. a full disk during the merge"
if [ "$(id -u)" -eq 0 ] && mkdir -p tiny && mount -t tmpfs -o size=8m tmpfs tiny 2> /dev/null; then
  "$binary" sweep grid.toml --out tiny/out --shard 0/1 --no-progress > logs.out 2>&1 || fail "$(cat logs.out)"
  (cd tiny/out/logs && sha256sum ./*) > logs.sha
  free=$(df --output=avail -B1 tiny | tail -1)
  head -c $((free - 8192)) /dev/zero > tiny/filler 2> /dev/null
  "${mpirun[@]}" "$binary" sweep grid.toml --out tiny/out --merge-only --no-progress > full.out 2>&1
  status=$?
  [ $status -eq 1 ] || fail "full disk during the merge: exit $status: $(tail -3 full.out)"
  grep -q "No space left on device" full.out || fail "ENOSPC not named: $(tail -3 full.out)"
  (cd tiny/out/logs && sha256sum -c --quiet ../../../logs.sha) || fail "the logs changed"
  [ -z "$(find tiny/out -name '*.tmp.*')" ] || fail "temporaries left: $(find tiny/out -name '*.tmp.*')"
  rm tiny/filler
  "${mpirun[@]}" "$binary" sweep grid.toml --out tiny/out --merge-only --no-progress > again.out 2>&1 ||
    fail "merge after freeing space: $(tail -3 again.out)"
  dump tiny/out/results.h5 > tiny.txt
  cmp -s whole.txt tiny.txt || fail "the merge after a full disk differs from one run"
else
  echo "(skipped: needs root to mount a small tmpfs)"
fi

echo "== 4. a second run into a directory in use"
printf 'kind = "echo"\n[fixed]\nwork_ms = 100\n[grid]\ni = "0-19"\n' > slow.toml
"$binary" sweep slow.toml --out busy --no-progress > busy1.out 2>&1 &
first=$!
for _ in $(seq 1 100); do [ -e busy/riskstep.lock ] && break; sleep 0.05; done
"$binary" sweep slow.toml --out busy --no-progress > refused2.out 2>&1
[ $? -eq 2 ] && grep -q "in use" refused2.out || fail "a second run was not refused: $(cat refused2.out)"
"$binary" sweep slow.toml --out busy --wait --no-progress > busy2.out 2>&1 || fail "$(cat busy2.out)"
wait $first || fail "the first run: $(cat busy1.out)"
grep -q "(0 run now, 20 already done)" busy2.out || fail "the waiting run recomputed: $(cat busy2.out)"
echo "storage: ok"
