#!/usr/bin/env bash
# A new study kind is one folder plus one registry line, its command included: the template kind
# "example" (tests/kinds/example), registered only in the test registry (tests/kinds/main.cpp),
# runs through the test binary as a user would run a shipped kind: its own command, a sweep on 2
# ranks, aggregate's table, describe. The shipped riskstep does not know it.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR TEST_KINDS_BINARY
set -euo pipefail
riskstep=$1 test_kinds=$4
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mpirun=(mpirun -np 2 --oversubscribe); [ "$(id -u)" -ne 0 ] || mpirun+=(--allow-run-as-root)
cd "$work"

# Its own command: three replicates in one process, one results file, the study table.
"$test_kinds" example --distribution uniform --replicates 3 --draws 2000 --out e.h5 > table.md 2> log.txt ||
  fail "riskstep example exited $?: $(cat log.txt)"
grep -qE '^\| uniform \| 3 \| 0\.[45]' table.md || fail "example's table: $(cat table.md)"
grep -q "wrote e.h5" log.txt || fail "example did not say it wrote e.h5"

# The same kind in a sweep over 2 ranks; aggregate prints its table from /summary.
cat > spec.toml <<'SPEC'
kind = "example"
[fixed]
draws = 500
[grid]
distribution = ["normal", "uniform"]
seed = "0-2"
SPEC
"${mpirun[@]}" "$test_kinds" sweep spec.toml --out swept --no-progress > sweep.txt 2>&1 ||
  fail "sweep of the example kind: $(tail -3 sweep.txt)"
"$test_kinds" aggregate swept > aggregate.md
grep -qE '^\| normal \| 3 \|' aggregate.md && grep -qE '^\| uniform \| 3 \|' aggregate.md ||
  fail "aggregate of the example sweep: $(cat aggregate.md)"

# Its settings check their values, through its command and through specs (exit 2, one line).
status=0; "$test_kinds" example --draws 0 > /dev/null 2> bad.txt || status=$?
[ "$status" -eq 2 ] && [ "$(wc -l < bad.txt)" -eq 1 ] && grep -q "draws" bad.txt ||
  fail "example --draws 0: exit $status, $(cat bad.txt)"
status=0; "$test_kinds" example --distribution cauchy > /dev/null 2> bad.txt || status=$?
[ "$status" -eq 2 ] || fail "example --distribution cauchy: exit $status"

# describe lists it with its settings, for people and for programs.
"$test_kinds" describe example | grep -qE '^\| draws \| identity \| integer \| 1000 \|' ||
  fail "describe example: $("$test_kinds" describe example)"
"$test_kinds" describe --format json | /usr/bin/python3 -c '
import json, sys
kinds = {kind["name"]: kind for kind in json.load(sys.stdin)["kinds"]}
assert set(kinds) == {"backtest_var", "train_stepnet", "echo", "example"}, sorted(kinds)
choices = [s for s in kinds["example"]["settings"] if s["name"] == "distribution"][0]["choices"]
assert [c["value"] for c in choices] == ["normal", "uniform"], choices
models = [s for s in kinds["backtest_var"]["settings"] if s["name"] == "model"][0]["choices"]
assert {"value": "garch", "label": "GARCH(1,1)"} in models, models
' || fail "describe --format json"
status=0; "$test_kinds" describe nope > /dev/null 2> bad.txt || status=$?
[ "$status" -eq 2 ] && grep -q "unknown job kind 'nope'" bad.txt || fail "describe nope: exit $status"

# The shipped binary has no such kind or command.
status=0; "$riskstep" example > /dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "riskstep example: expected exit 2 (no such command), got $status"
status=0; "$riskstep" sweep spec.toml --dry-run > /dev/null 2> unknown.txt || status=$?
[ "$status" -eq 2 ] && grep -q "unknown job kind 'example'" unknown.txt ||
  fail "riskstep sweep of an example spec: exit $status, $(cat unknown.txt)"
echo "new_kind: the example kind runs through the test binary (command, sweep, aggregate)"
