#!/usr/bin/env bash
# A task's identity is its content (pipeline/core/task_identity.h), through the binary:
#  - herrig2023's ids and seeds are pinned (tests/specs/herrig2023_ids.txt) and are the same from
#    a second checkout elsewhere with the price files copied elsewhere;
#  - days appended after the test periods change no id, a changed price in one file changes the
#    ids of that index only;
#  - a network setting changes no classical task, writing a default out changes nothing;
#  - `train` with and without --attention none is one task, and a sweep's task equals it;
#  - simulated p-values do not depend on the index name or the file's path.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR TEST_KINDS_BINARY
set -euo pipefail
riskstep=$1 source_dir=$2 shared=$3
[ -d "$shared/herrig2023/prices" ] || { echo "SKIP: no ../shared/data"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
spec=$source_dir/jobs/specs/herrig2023.toml
ids() { "$riskstep" sweep "$@" --dry-run | awk '$1 ~ /^[0-9a-f]+$/ && length($1) == 16 {print $1, $3}'; }

ids "$spec" > "$work/here.txt"
diff "$source_dir/tests/specs/herrig2023_ids.txt" "$work/here.txt" > "$work/pin.diff" ||
  fail "herrig2023's ids moved from tests/specs/herrig2023_ids.txt: $(head -c 300 "$work/pin.diff")"
[ "$(wc -l < "$work/here.txt")" -eq 198 ] || fail "expected 198 herrig2023 tasks"

# A second checkout in another directory, the data copied to a third.
mkdir -p "$work/checkout2/jobs/specs" "$work/elsewhere"
cp "$spec" "$work/checkout2/jobs/specs/"
cp -r "$shared/herrig2023/prices" "$work/elsewhere/"
ids "$work/checkout2/jobs/specs/herrig2023.toml" --set "data_dir=$work/elsewhere/prices" \
  > "$work/there.txt"
diff -q "$work/here.txt" "$work/there.txt" > /dev/null || fail "ids depend on where the data lies"

# Days after the last test period (2022-12-31) are no part of any task; a price inside is.
echo '"9999",2030-01-02,9000,NA,NA,NA,NA,NA,NA,NA' >> "$work/elsewhere/prices/ftse.csv"
ids "$spec" --set "data_dir=$work/elsewhere/prices" > "$work/appended.txt"
diff -q "$work/here.txt" "$work/appended.txt" > /dev/null || fail "an appended day changed ids"
sed -i 's/^"3",2001-01-04,6185.600098/"3",2001-01-04,6185.7/' "$work/elsewhere/prices/ftse.csv"
ids "$spec" --set "data_dir=$work/elsewhere/prices" > "$work/changed.txt"
"$riskstep" sweep "$spec" --dry-run | awk '/ index=ftse /{print $1}' | sort > "$work/ftse.txt"
changed=$(diff "$work/here.txt" "$work/changed.txt" | grep -c '^>' || true)
[ "$changed" -eq "$(wc -l < "$work/ftse.txt")" ] || fail "a ftse price changed $changed ids"

# Settings a model does not read are no part of it; writing a default out changes nothing.
ids "$spec" --set max_epochs=50 > "$work/tuned.txt"
"$riskstep" sweep "$spec" --dry-run | awk '/ model=(hs|cmm|garch) /{print $1}' | sort > "$work/classical.txt"
[ "$(sort "$work/tuned.txt" | cut -d' ' -f1 | comm -12 - "$work/classical.txt" | wc -l)" -eq 18 ] ||
  fail "max_epochs changed classical task ids"
[ "$(comm -12 <(sort "$work/here.txt") <(sort "$work/tuned.txt") | wc -l)" -eq 18 ] ||
  fail "max_epochs left network task ids unchanged"
ids "$spec" --set mc_coverage=false --set simulations=1000 > "$work/defaults.txt"
diff -q "$work/here.txt" "$work/defaults.txt" > /dev/null || fail "writing defaults out changed ids"

# train: --attention none is the default, so it is the same task; the sweep's is that one too.
train=(--depth 8 --epochs 1 --steps-per-epoch 1 --batch 16 --train-subset 64 --test-subset 64
       --nsi-samples 8 --threads 1)
"$riskstep" train "${train[@]}" --out "$work/plain.h5" > /dev/null
"$riskstep" train "${train[@]}" --attention none --out "$work/none.h5" > /dev/null
task_of() { /usr/bin/python3 -c 'import h5py, sys; print(*h5py.File(sys.argv[1])["tasks"])' "$1"; }
[ "$(task_of "$work/plain.h5")" = "$(task_of "$work/none.h5")" ] ||
  fail "train without and with --attention none are two tasks"
stepnet=$source_dir/jobs/specs/stepnet_fmnist.toml
"$riskstep" sweep "$stepnet" --dry-run | awk 'length($1) == 16 {print $1}' > "$work/grid.txt"
set_none=$("$riskstep" sweep "$stepnet" --dry-run --set attention=none --set seed=0 | awk 'NR==1{print $1}')
[ "$(sort -u "$work/grid.txt" | wc -l)" -eq 9 ] || fail "stepnet: expected 9 distinct tasks"
grep -qx "$set_none" "$work/grid.txt" || fail "stepnet: attention=none, seed=0 is not the grid's task"

# Simulated p-values: the same prices and model give the same draws under any name or path.
mkdir -p "$work/named"
cp "$shared/herrig2023/prices/ftse.csv" "$work/named/ftse100.csv"
backtest=(backtest --period calm --models hs,garch)
"$riskstep" "${backtest[@]}" --data "$shared/herrig2023/prices/ftse.csv" --index ftse \
  --levels 0.01,0.05 --out "$work/a.h5" > /dev/null 2>&1
"$riskstep" "${backtest[@]}" --data "$work/named/ftse100.csv" --levels 0.01,0.05 \
  --out "$work/b.h5" > /dev/null 2>&1
"$riskstep" "${backtest[@]}" --data "$work/elsewhere/prices/../../named/ftse100.csv" --index ftse \
  --levels 0.01 --out "$work/c.h5" > /dev/null 2>&1
/usr/bin/python3 - "$work/a.h5" "$work/b.h5" "$work/c.h5" <<'PY'
import sys, h5py, numpy as np
def p_values(path):
    rows = h5py.File(path)["summary"][()]
    return {(r["model"].decode(), round(float(r["level"]), 6)): (r["p_z2"], r["p_mf"], r["p_duration_mc"])
            for r in rows}
a, b, c = (p_values(path) for path in sys.argv[1:])
assert a == b, (a, b)            # index ftse vs ftse100 (from the file name)
for key, value in c.items():     # another path, and only one of the levels asked for
    assert a[key] == value, (key, a[key], value)
PY
echo ok
