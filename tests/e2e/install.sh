#!/usr/bin/env bash
# `cmake --install BUILD --prefix P` gives a riskstep that works from P alone: a sweep on two
# ranks, `slurm submit --dry-run`, `aggregate --format json` and `report`, with the source and build
# trees hidden (a mount namespace of this test's own, as root) so nothing can be found there.
# Args: RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR TEST_KINDS_BINARY
set -euo pipefail
riskstep=$1 source_dir=$(cd "$2" && pwd)
build_dir=$(cd "$(dirname "$riskstep")" && pwd)  # BUILD/riskstep
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$work/prefix
cmake --install "$build_dir" --prefix "$prefix" > "$work/install.log" || fail "cmake --install"
for file in bin/riskstep share/riskstep/slurm/sweep.sbatch.in share/riskstep/report/report.py \
            share/riskstep/report/riskstep_report/html_report.py \
            share/riskstep/report/riskstep_report/stepnet_claims.csv share/riskstep/specs/smoke.toml; do
  [ -e "$prefix/$file" ] || fail "not installed: $file"
done

mpirun=(mpirun -np 2 --oversubscribe); [ "$(id -u)" -ne 0 ] || mpirun+=(--allow-run-as-root)
cat > "$work/use.sh" <<EOF
set -euo pipefail
R=$prefix/bin/riskstep
${mpirun[*]} \$R sweep $prefix/share/riskstep/specs/smoke.toml --out $work/smoke --no-progress
\$R aggregate $work/smoke --format json > $work/tables.json
\$R slurm submit $prefix/share/riskstep/specs/smoke.toml --out $work/cluster --dry-run \
    > $work/dry.txt
\$R report $work/smoke > $work/report.log
EOF

hidden=no
for dir in "$source_dir" "$build_dir"; do
  case "$prefix/" in "$dir"/*) fail "the prefix must lie outside $dir" ;; esac
done
if [ "$(id -u)" -eq 0 ] && unshare --mount --propagation private true 2>/dev/null; then
  # Empty directories over the trees the binary was built in: only the prefix is left.
  unshare --mount --propagation private bash -c \
    "mount -t tmpfs none '$build_dir' && mount -t tmpfs none '$source_dir' && bash '$work/use.sh'" \
    || fail "riskstep from the prefix (source and build trees hidden)"
  hidden=yes
else
  bash "$work/use.sh" || fail "riskstep from the prefix"
fi

/usr/bin/python3 - "$work/tables.json" <<'PY'
import json, sys
tables = json.load(open(sys.argv[1]))["tables"]
assert [t["name"] for t in tables] == ["backtest_var"], tables
assert len(tables[0]["rows"]) == 2 * 2 * 3 * 2, len(tables[0]["rows"])  # index x period x model x level
PY
grep -q "$prefix/bin/riskstep" "$work/dry.txt" || fail "the Slurm script does not run the installed riskstep"
grep -q "<title>riskstep report" "$work/smoke/report.html" || fail "no report.html"
grep -q 'id="figures">Figures' "$work/smoke/report.html" || fail "report.html has no figures"
[ ! -e "$prefix/share/riskstep/report/tests" ] || fail "the report's tests were installed"
echo "ok (source and build trees hidden: $hidden)"
