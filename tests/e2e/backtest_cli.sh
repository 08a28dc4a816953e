#!/usr/bin/env bash
# riskstep backtest and aggregate from the command line: the table, the HDF5 layout (read with
# h5py), the thesis numbers when ../shared/data is there, and exit status 2 for bad input.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR TEST_KINDS_BINARY
set -euo pipefail
riskstep=$1 shared=$3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Built-in synthetic market: all three classical models at two levels.
"$riskstep" backtest --synthetic --index demo --period covid --models hs,cmm,garch \
  --levels 0.01,0.05 --out "$work/demo.h5" > "$work/demo.md"
[ "$(grep -c '^| demo | covid |' "$work/demo.md")" -eq 6 ] || fail "expected 6 table rows"
"$riskstep" aggregate "$work/demo.h5" --csv > "$work/demo.csv"
[ "$(wc -l < "$work/demo.csv")" -eq 7 ] || fail "aggregate --csv: expected header + 6 rows"

/usr/bin/python3 - "$work/demo.h5" <<'PY'
import json, sys, h5py
f = h5py.File(sys.argv[1], "r")
for key in ("riskstep_version", "git_commit", "created_utc", "spec_text", "host", "mpi_size"):
    assert key in f.attrs, key
assert len(f["tasks"]) == 3
for task_id, group in f["tasks"].items():
    params = json.loads(group.attrs["parameters"])
    assert group.attrs["status"] == "ok"
    days = len(group["dates"])
    assert days > 500 and len(group["loss"]) == days
    for level in ("0.01", "0.05"):
        assert len(group["var_" + level]) == days and len(group["hit_" + level]) == days
        assert (group["var_" + level][:] > 0).all()
    assert len(group["backtest"]) == 2
summary = f["summary"][:]
assert len(summary) == 6, len(summary)
assert set(summary.dtype.names) >= {"task_id", "index", "model", "level", "hits", "lr_uc", "p_cc"}
PY

# Bad input: one line naming the problem, exit status 2.
expect_bad() {
  local want=$1; shift
  set +e; "$riskstep" "$@" > /dev/null 2> "$work/err"; local status=$?; set -e
  [ "$status" -eq 2 ] || fail "$* exited $status, expected 2"
  grep -q -- "$want" "$work/err" || fail "$*: message lacks '$want': $(cat "$work/err")"
}
expect_bad "period" backtest --synthetic --period 2017-13-01:2018-01-01
expect_bad "a year 'YYYY'" backtest --synthetic --period 20201
expect_bad "ends before it starts" backtest --synthetic --period 2021:2020

# riskstep compare on the demo file: every option, the baseline's row, bad input in one line.
"$riskstep" compare "$work/demo.h5" --level 0.05 --loss tick --baseline garch --csv > "$work/cmp.csv"
head -1 "$work/cmp.csv" | grep -q "^variant,cells,days,tasks,hits_ratio,pass_uc_rate,pass_cc_rate,pass_duration_rate,pass_z2_rate,vol_slope,mean_loss,vs_baseline,mean_difference,dm_statistic,dm_p$" ||
  fail "compare --csv header: $(head -1 "$work/cmp.csv")"
[ "$(wc -l < "$work/cmp.csv")" -eq 4 ] || fail "compare: expected header + 3 variants"
/usr/bin/python3 - "$work/demo.h5" "$work/cmp.csv" <<'PY'
import csv, sys, h5py, numpy as np
rows = {r["variant"]: r for r in csv.DictReader(open(sys.argv[2]))}
with h5py.File(sys.argv[1], "r") as f:  # mean tick loss at 5% recomputed from the daily dataset
    for group in f["tasks"].values():
        model = group.attrs["model"]
        model = model.decode() if isinstance(model, bytes) else model
        want = float(np.mean(group["tick_0.05"][:]))
        assert abs(float(rows[model]["mean_loss"]) - want) < 1e-12 * max(1, abs(want)), (model, want)
        # Coverage at 5% from the task's own summary row.
        row = [r for r in group["summary"][()] if abs(r["level"] - 0.05) < 1e-12][0]
        ratio = row["hits"] / (0.05 * row["days"])
        assert abs(float(rows[model]["hits_ratio"]) - ratio) < 1e-12, (model, ratio)
        assert float(rows[model]["pass_uc_rate"]) == float(row["p_uc"] >= 0.05), model
        assert float(rows[model]["pass_z2_rate"]) == float(row["p_z2"] >= 0.05), model
        assert abs(float(rows[model]["vol_slope"]) - row["vol_slope"]) < 1e-12, model
# The baseline against itself: no test; every other variant: its mean difference to the baseline.
assert rows["garch"]["vs_baseline"] == "" and float(rows["garch"]["dm_p"]) == 1, rows["garch"]
for model in ("hs", "cmm"):
    r = rows[model]
    assert r["vs_baseline"] == "yes" and 0 <= float(r["dm_p"]) <= 1, r
    diff = float(r["mean_loss"]) - float(rows["garch"]["mean_loss"])
    assert abs(float(r["mean_difference"]) - diff) < 1e-12, (r, diff)
PY
"$riskstep" compare "$work/demo.h5" --list-tasks > "$work/tasks.csv"
/usr/bin/python3 - "$work/demo.h5" "$work/tasks.csv" <<'PY'
import csv, sys, h5py
rows = list(csv.DictReader(open(sys.argv[2])))
with h5py.File(sys.argv[1], "r") as f:
    models = {i: g.attrs["model"] for i, g in f["tasks"].items()}
models = {i: m.decode() if isinstance(m, bytes) else m for i, m in models.items()}
assert {r["task_id"]: r["variant"] for r in rows} == models, (rows, models)
PY
"$riskstep" compare "$work/demo.h5" > "$work/cmp.md" || fail "compare with defaults (fz0, 1%)"
grep -q "^| variant" "$work/cmp.md" || fail "compare: no Markdown table"
# A table that cannot be written (full disk) is an error, not an empty success.
if [ -w /dev/full ]; then
  set +e; "$riskstep" compare "$work/demo.h5" --list-tasks > /dev/full 2> "$work/err"; status=$?; set -e
  [ "$status" -eq 2 ] && grep -q "could not write standard output" "$work/err" ||
    fail "compare > /dev/full exited $status: $(cat "$work/err")"
fi
expect_bad "--baseline 'nosuch'" compare "$work/demo.h5" --baseline nosuch
expect_bad "no backtest_var task" compare "$work/demo.h5" --level 0.025
expect_bad "--loss" compare "$work/demo.h5" --loss mse
expect_bad "nowhere.h5" compare "$work/nowhere.h5"

# --mc-coverage: simulated coverage p-values beside the asymptotic ones.
"$riskstep" backtest --synthetic --period 2020 --models hs --mc-coverage --out "$work/mc.h5" > /dev/null
/usr/bin/python3 - "$work/mc.h5" <<'PY'
import sys, h5py
s = h5py.File(sys.argv[1], "r")["summary"][()]
for name in ("p_uc_mc", "p_ind_mc", "p_cc_mc"):
    assert name in s.dtype.names and ((s[name] >= 0) & (s[name] <= 1)).all(), name
PY
# compare counts the simulated tests' passes when every task has them.
"$riskstep" compare "$work/mc.h5" --csv > "$work/mc.csv"
/usr/bin/python3 - "$work/mc.h5" "$work/mc.csv" <<'PY'
import csv, sys, h5py
row = next(csv.DictReader(open(sys.argv[2])))
s = [r for r in h5py.File(sys.argv[1], "r")["summary"][()] if abs(r["level"] - 0.01) < 1e-12][0]
for rate, p in (("pass_uc_mc_rate", "p_uc_mc"), ("pass_cc_mc_rate", "p_cc_mc")):
    assert float(row[rate]) == float(s[p] >= 0.05), (rate, row)
PY
expect_bad "'lstm'" backtest --synthetic --models hs,lstm
expect_bad "levels" backtest --synthetic --levels 0.01,1.5
expect_bad "setting 'data': no price file" backtest --data "$work/absent.csv"
expect_bad "exactly one of" backtest
printf 'date,close\n2020-01-02,1\n2020-01-01,2\n' > "$work/unsorted.csv"
expect_bad "unsorted.csv:3:" backtest --data "$work/unsorted.csv" --models hs --out "$work/u.h5"
[ "$(wc -l < "$work/err")" -eq 1 ] || fail "bad price data: expected one line, got $(cat "$work/err")"
[ -e "$work/u.h5" ] && fail "bad price data left a results file"
# --out never silently replaces the results of other tasks; a rerun of the same tasks may.
expect_bad "holds 2 results of other tasks" backtest --synthetic --index demo --period covid \
  --models hs --levels 0.01,0.05 --out "$work/demo.h5"
"$riskstep" backtest --synthetic --index demo --period covid --models hs,cmm,garch \
  --levels 0.01,0.05 --out "$work/demo.h5" > /dev/null 2>&1 || fail "rerunning the same tasks"
echo "not hdf5" > "$work/bogus.h5"
expect_bad "bogus.h5" aggregate "$work/bogus.h5"

# The thesis numbers (gspc calm, 99%): hits and LR statistics of the author's results file.
if [ -d "$shared/herrig2023/prices" ]; then
  "$riskstep" backtest --data "$shared/herrig2023/prices/gspc.csv" --period calm \
    --models hs,cmm,garch --garch-start fgarch --csv > "$work/gspc.csv"
  /usr/bin/python3 - "$work/gspc.csv" <<'PY'
import csv, sys
rows = {r["model"]: r for r in csv.DictReader(open(sys.argv[1]))}
expected = {"hs": (10, 3.873, 1.758, 5.631), "cmm": (18, 20.352, 5.181, 25.533),
            "garch": (11, 5.37, 1.435, 6.806)}
for model, (hits, lr_uc, lr_ind, lr_cc) in expected.items():
    r = rows[model]
    assert int(r["hits"]) == hits, (model, r["hits"])
    for name, value in (("lr_uc", lr_uc), ("lr_ind", lr_ind), ("lr_cc", lr_cc)):
        assert abs(float(r[name]) - value) < 5e-4, (model, name, r[name], value)
PY
else
  echo "../shared/data absent: thesis check skipped"
fi

# The benchmarks beyond the thesis (EWMA, filtered HS, GARCH-EVT, the unconditional quantile), GJR
# and skewed-t GARCH: VaR and ES at every level; window 1000; a cell with too little history.
if [ -d "$shared/indices" ]; then
  "$riskstep" backtest --data "$shared/indices/sp500.csv" --index sp500 \
    --period 2008-01-01:2009-12-31 --models ewma,fhs,garch_evt,uncond --levels 0.01,0.05 \
    --out "$work/benchmarks.h5" > /dev/null 2>&1 || fail "benchmarks backtest"
  "$riskstep" backtest --data "$shared/indices/sp500.csv" --index sp500 \
    --period 2008-01-01:2008-06-30 --models garch,fhs --garch-kind gjr --garch-dist skew_t \
    --fhs-filter garch --window 1000 --levels 0.01 --out "$work/gjr.h5" > /dev/null 2>&1 ||
    fail "GJR skewed-t backtest"
  /usr/bin/python3 - "$work/benchmarks.h5" "$work/gjr.h5" <<'PY'
import json, sys, h5py, numpy as np
def models(path, levels):
    found = {}
    for group in h5py.File(path)["tasks"].values():
        params = json.loads(group.attrs["parameters"])["params"]
        for level in levels:
            var, es = group["var_" + level][:], group["es_" + level][:]
            assert len(var) > 100 and np.isfinite(var).all() and (es >= var - 1e-12).all(), params
        found[params["model"]] = params
    return found
assert set(models(sys.argv[1], ["0.01", "0.05"])) == {"ewma", "fhs", "garch_evt", "uncond"}
gjr = models(sys.argv[2], ["0.01"])
assert gjr["garch"]["garch_kind"] == "gjr" and gjr["garch"]["garch_dist"] == "skew_t", gjr
assert gjr["fhs"]["fhs_filter"] == "garch" and gjr["fhs"]["window"] == 1000, gjr
PY
  # EURO STOXX 50 has 937 returns before 2011: a window of 1000 is refused in one line.
  expect_bad "index eurostoxx50, model hs: period 2011-01-01:2011-12-31" backtest \
    --data "$shared/indices/eurostoxx50.csv" --period 2011-01-01:2011-12-31 --models hs \
    --window 1000
  grep -q "only 937 available" "$work/err" || fail "the count is missing: $(cat "$work/err")"
  [ "$(wc -l < "$work/err")" -eq 1 ] || fail "too little history: not one line"
fi
echo "backtest_cli: ok"
