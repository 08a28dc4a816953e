#!/usr/bin/env bash
# Settings carry their rules (pipeline/core/settings.h), through the binary as a user calls it:
#  - a list setting (levels) is one task whether written as a spec's array, as text, with --set or
#    as a command-line option; integer lists and axes take ranges (--set grid.seed=0-1,3,
#    --seeds 0-2); items are checked, naming the setting and the item;
#  - a bound (window 2 to 5000) fails the same way in a spec (file:line), with --set and as an
#    option: exit 2, one line, before any task runs;
#  - a path setting (data) in a spec is its folder's, from any current directory; the same with
#    --set is the current directory's;
#  - describe (Markdown, JSON) and --help show lists, paths and bounds.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR TEST_KINDS_BINARY
set -euo pipefail
riskstep=$1 test_kinds=$4
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
first_id() { awk 'length($1) == 16 {print $1; exit}'; }
# expect_bad WANT ARGS...: exit 2 and exactly one line on stderr, holding WANT.
expect_bad() {
  local want=$1; shift
  local status=0; "$@" > /dev/null 2> "$work/err" || status=$?
  [ "$status" -eq 2 ] || fail "$*: exit $status, expected 2: $(head -c 400 "$work/err")"
  [ "$(wc -l < "$work/err")" -eq 1 ] || fail "$*: expected one line: $(head -c 600 "$work/err")"
  grep -qF -- "$want" "$work/err" || fail "$*: expected '$want', got: $(cat "$work/err")"
}

# --- A list setting: spec array, spec text, --set, option: one task.
spec() {  # spec FILE [FIXED LINES...]
  local file=$1; shift
  { echo 'kind = "backtest_var"'; echo '[fixed]'; echo 'data = "synthetic"'; echo 'index = "alpha"'
    echo 'model = "hs"'; printf '%s\n' "$@"; } > "$file"
}
spec "$work/array.toml" 'levels = [0.01, 0.05]'
spec "$work/text.toml" 'levels = "0.01, 0.05"'
spec "$work/plain.toml"
array=$("$riskstep" sweep "$work/array.toml" --dry-run | first_id)
[ -n "$array" ] || fail "no task listed for a spec with levels = [0.01, 0.05]"
[ "$("$riskstep" sweep "$work/text.toml" --dry-run | first_id)" = "$array" ] ||
  fail "levels as text is another task than levels as an array"
[ "$("$riskstep" sweep "$work/plain.toml" --dry-run --set levels=0.01,0.05 | first_id)" = "$array" ] ||
  fail "--set levels=0.01,0.05 is another task than levels = [0.01, 0.05]"
"$riskstep" sweep "$work/array.toml" --dry-run | grep -q ' levels=0.01,0.05 ' ||
  fail "the listing does not show the list's canonical text"
"$riskstep" backtest --synthetic --index alpha --period calm --models hs --levels '0.01, 0.05' \
  --out "$work/option.h5" > /dev/null 2>&1 || fail "backtest --levels '0.01, 0.05' failed"
option=$(/usr/bin/python3 -c 'import h5py, sys; print(*h5py.File(sys.argv[1])["tasks"])' "$work/option.h5")
[ "$option" = "$array" ] || fail "backtest --levels is task $option, the spec's is $array"

# Items are checked as the setting declares, naming the setting and the item.
expect_bad "array.toml: --set levels=0.01,0.7: key 'fixed.levels': setting 'levels': item 0.7: expected more than 0 and less than 0.5" \
  "$riskstep" sweep "$work/array.toml" --dry-run --set levels=0.01,0.7
spec "$work/twice.toml" 'levels = [0.05, 0.05]'
expect_bad "twice.toml:6: key 'fixed.levels': setting 'levels': item 0.05 is listed twice" \
  "$riskstep" sweep "$work/twice.toml" --dry-run
expect_bad "--levels: setting 'levels': item 'x': expected a number" \
  "$riskstep" backtest --synthetic --models hs --levels 0.01,x
spec "$work/scalar.toml" 'window = [251, 500]'
expect_bad "scalar.toml:6: key 'fixed.window': setting 'window' is no list" \
  "$riskstep" sweep "$work/scalar.toml" --dry-run

# Axes from text: --set for a grid axis, and the command's list options, with ranges.
{ cat "$work/plain.toml"; echo 'model = "mdn2"'; echo '[grid]'; echo 'seed = [0]'; } |
  grep -v '^model = "hs"' > "$work/seeds.toml"
[ "$("$riskstep" sweep "$work/seeds.toml" --dry-run --set grid.seed=0-1,3 | grep -c '  pending  ')" -eq 3 ] ||
  fail "--set grid.seed=0-1,3: expected 3 tasks"
expect_bad "--seeds: setting 'seed': item -1: expected at least 0" \
  "$riskstep" backtest --synthetic --models mdn2 --seeds 0-2,-1
expect_bad "--models: setting 'model': item 'hs' is listed twice" \
  "$riskstep" backtest --synthetic --models hs,cmm,hs
expect_bad "--models: setting 'model': item 'lstm': expected one of hs, cmm, garch" \
  "$riskstep" backtest --synthetic --models hs,lstm

# --- A bound: in a spec (file and line), with --set, as an option; nothing runs.
spec "$work/window.toml" 'levels = [0.01]' 'window = 1'
expect_bad "window.toml:7: key 'fixed.window': setting 'window': expected 2 to 5000, got 1" \
  "$riskstep" sweep "$work/window.toml" --out "$work/never"
[ ! -e "$work/never" ] || fail "a spec with window = 1 made its output directory"
expect_bad "plain.toml: --set window=9000: key 'fixed.window': setting 'window': expected 2 to 5000, got 9000" \
  "$riskstep" sweep "$work/plain.toml" --dry-run --set window=9000
expect_bad "riskstep backtest: --window: setting 'window': expected 2 to 5000, got 1" \
  "$riskstep" backtest --synthetic --models hs --window 1 --out "$work/never.h5"
[ ! -e "$work/never.h5" ] || fail "backtest --window 1 wrote a results file"
expect_bad "setting 'draws': expected 1 to 10000000, got 0" "$test_kinds" example --draws 0

# --- A path setting: a spec's relative `data` is the spec folder's, from any directory.
mkdir -p "$work/study/prices" "$work/elsewhere"
/usr/bin/python3 - "$work/study/prices/index.csv" <<'PY'
import datetime, math, random, sys
random.seed(1)
day, price, rows = datetime.date(2014, 1, 1), 100.0, ["date,close"]
while day <= datetime.date(2018, 12, 31):
    if day.weekday() < 5:
        price *= math.exp(random.gauss(0, 0.01))
        rows.append(f"{day.isoformat()},{price:.4f}")
    day += datetime.timedelta(days=1)
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
cat > "$work/study/spec.toml" <<'SPEC'
kind = "backtest_var"
out = "out"
[fixed]
data = "prices/index.csv"
index = "idx"
period = "calm"
[grid]
model = ["hs", "cmm"]
SPEC
(cd "$work/elsewhere" && "$riskstep" sweep ../study/spec.toml --no-progress > sweep.txt 2>&1) ||
  fail "a spec with a relative data path, run from elsewhere: $(tail -3 "$work/elsewhere/sweep.txt")"
[ -f "$work/study/out/results.h5" ] || fail "out = \"out\" is not the spec folder's"
(cd / && "$riskstep" sweep "$work/study/spec.toml" --dry-run) > "$work/listing.txt"
grep -qF "[data=$work/study/prices/index.csv]" "$work/listing.txt" ||
  fail "data is not resolved against the spec's folder: $(head -2 "$work/listing.txt")"
# With --set it is the current directory's.
(cd "$work/study/prices" && "$riskstep" sweep ../spec.toml --dry-run --set data=index.csv) |
  grep -qF "[data=$work/study/prices/index.csv]" || fail "--set data=index.csv is not the current directory's"
expect_bad "setting 'data': no price file $work/study/prices/nowhere.csv" \
  "$riskstep" sweep "$work/study/spec.toml" --dry-run --set "data=$work/study/prices/nowhere.csv"

# --- describe and --help show the rules.
"$riskstep" describe backtest_var > "$work/describe.md"
grep -qE '^\| window \| identity \| integer \| 251 \|  \| 2 to 5000 \|' "$work/describe.md" ||
  fail "describe: window's bounds: $(grep '^| window' "$work/describe.md")"
grep -qE '^\| levels \| identity \| number list \| 0\.01 \|' "$work/describe.md" ||
  fail "describe: levels as a list: $(grep '^| levels' "$work/describe.md")"
"$riskstep" describe --format json | /usr/bin/python3 -c '
import json, sys
kinds = {k["name"]: {s["name"]: s for s in k["settings"]} for k in json.load(sys.stdin)["kinds"]}
var = kinds["backtest_var"]
for setting in var.values():  # the keys every setting has, old and new
    assert {"name", "role", "type", "default", "choices", "help", "list", "path", "rules"} <= set(setting), setting
levels = var["levels"]
assert levels["list"] is True and levels["item_type"] == "number" and levels["type"] == "string", levels
assert levels["distinct"] and levels["non_empty"] and levels["default"] == "0.01", levels
assert (levels["min"], levels["min_inclusive"], levels["max"], levels["max_inclusive"]) == (0, False, 0.5, False), levels
window = var["window"]
assert (window["min"], window["max"], window["min_inclusive"], window["max_inclusive"]) == (2, 5000, True, True), window
assert window["list"] is False and "item_type" not in window, window
assert var["data"]["path"] is True and var["data"]["path_words"] == ["synthetic"], var["data"]
assert var["data_dir"]["path"] is True and var["index"]["path"] is False
assert "min" not in var["index"] and "max" not in var["model"]
train = kinds["train_stepnet"]
assert train["attention_blocks"]["list"] and train["attention_blocks"]["item_type"] == "integer"
assert train["threads"]["rules"] == "0 to 1024", train["threads"]
' || fail "describe --format json lacks the rules"
"$riskstep" backtest --help | grep -qE -- '--window INT=251 +Rolling estimation window, in returns \(2 to 5000\)' ||
  fail "backtest --help shows no bounds for --window"
"$riskstep" train --help | grep -qE -- '--attention-blocks .*a list of integers, each at least 0' ||
  fail "train --help shows no rules for --attention-blocks"
echo ok
