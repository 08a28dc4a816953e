#!/bin/bash
# The README's Commands section, run as it stands: its ```sh blocks are extracted from the
# README itself (so the README cannot drift from the binary) and run line by line, in a scratch
# directory that sees the checkout's jobs/, report/ and results/, with `B` pointing at the binary
# under test.
# Any command that fails fails the test, naming the command.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA TEST_KINDS_BINARY
set -u
riskstep=$1
source=$2
work=$(mktemp -d /tmp/riskstep-readme.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Every fenced sh block from "## Commands" to the next "## " section, continuation lines joined.
/usr/bin/python3 - "$source/README.md" > "$work/commands.txt" <<'PY' || fail "no Commands block"
import re, sys
text = open(sys.argv[1]).read()
start = text.index("\n## Commands\n") + 1
end = text.find("\n## ", start)
section = text[start:end if end >= 0 else len(text)]
for block in re.findall(r"```sh\n(.*?)```", section, re.S):
    for command in block.replace("\\\n", " ").splitlines():
        if command.strip() and not command.lstrip().startswith("#"):
            print(command)
PY
grep -q '^B=build/riskstep$' "$work/commands.txt" || fail "the block no longer sets B=build/riskstep"
[ "$(wc -l < "$work/commands.txt")" -ge 10 ] || fail "only $(wc -l < "$work/commands.txt") commands found"

ln -s "$source/jobs" "$work/jobs"
ln -s "$source/results" "$work/results"
ln -s "$source/report" "$work/report"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
cd "$work" || fail "cd $work"
B=$riskstep
n=0
while IFS= read -r command; do
  [[ $command == B=build/riskstep ]] && continue  # B is the binary under test
  n=$((n + 1))
  echo "== $command"
  bash -c "B='$B'; $command" > "$work/out.$n" 2>&1 < /dev/null ||
    fail "README command failed (exit $?): $command
$(tail -5 "$work/out.$n")"
done < "$work/commands.txt"

# What the block promises exists.
for file in covid.h5 y2020.h5 out/smoke/results.h5 s.h5 s2.h5 out/smoke/report.html stepnet.html \
            out/smoke_figures/alpha_calm_var.png; do
  [ -s "$file" ] || fail "the README's commands did not write $file"
done
echo "ran $n README commands"

# Every column and dataset these files hold is documented: summary columns, study-table columns
# (aggregate's JSON) and task datasets in docs/results-columns.md, settings in the README.
grep -q 'id="scores">Model scores' out/smoke/report.html || fail "report.html has no Model scores"
for input in out/smoke covid.h5 y2020.h5 s.h5; do
  "$riskstep" aggregate "$input" --format json > "$work/table.json" || fail "aggregate --format json $input"
  # compare's columns too (with a baseline: all of them).
  rm -f "$work/compare.csv"
  if "$riskstep" compare "$input" --csv > "$work/compare.csv" 2> /dev/null; then
    variant=$(sed -n 2p "$work/compare.csv" | cut -d, -f1)
    "$riskstep" compare "$input" --csv --baseline "$variant" > "$work/compare.csv"
  fi
  PYTHONPATH="$source/report" /usr/bin/python3 - "$source" "$input" "$work/table.json" "$work/compare.csv" <<'PY' || fail "undocumented names in $input"
import json, os, re, sys
import h5py
from riskstep_report import reader
source, path, table, compared = sys.argv[1:]
columns_doc = open(os.path.join(source, "docs/results-columns.md")).read()
readme = open(os.path.join(source, "README.md")).read()
results = path if path.endswith(".h5") else os.path.join(path, "results.h5")
names = set()
with h5py.File(results, "r") as f:
    names |= set(f["summary"].dtype.names)
    for task_id, attrs in list(reader._task_attributes(f)):
        if reader.text(attrs.get("status", "ok")) != "ok":
            continue
        stored = reader._task(f, results, task_id)  # either layout: task groups or packed parts
        for name in list(stored.datasets) + list(stored.tables):
            names.add(re.sub(r"_0\.\d+$", "_<level>", name))
doc = json.load(open(table))
names |= {column["name"] for table in doc["tables"] for column in table["columns"]}
if os.path.exists(compared):
    names |= set(open(compared).readline().strip().split(","))
missing = sorted(n for n in names
                 if f"`{n}`" not in columns_doc and f"`{n}`" not in readme
                 and not (n.startswith("model/") and f"`{n.split('/', 1)[1]}`" in columns_doc)
                 and not (n.startswith("mixture/") and f"`{n}`" in columns_doc))
if missing:
    print("not in docs/results-columns.md (or README settings):", missing)
    sys.exit(1)
PY
done
echo "every column and dataset of the README's results is documented"

# Every shipped spec (the ones the README and docs tell users to run) expands and validates.
# The market-data specs read ../shared/data; without it only the others are checked.
shared=${3:-$source/../shared/data}
for spec in "$source"/jobs/specs/*.toml; do
  if ! out=$("$riskstep" sweep "$spec" --dry-run 2>&1 >/dev/null); then
    [[ ! -d $shared ]] && grep -q 'data' <<<"$out" && { echo "skip $spec (no $shared)"; continue; }
    fail "shipped spec $spec does not dry-run: $out"
  fi
done
echo "every shipped spec dry-runs"
