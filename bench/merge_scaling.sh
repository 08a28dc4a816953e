#!/usr/bin/env bash
# What a sweep of N trivial (echo) tasks costs in storage (issue 22): the whole sweep on 2 ranks,
# `riskstep sweep --merge-only` alone (exactly the merge) on 1 rank and on MERGE_RANKS ranks
# (default 2), rank 0's peak memory in each, the files and bytes the out directory holds, a
# `riskstep aggregate` of it and loading /summary with pandas. A benchmark, never part of ctest.
#   bash bench/merge_scaling.sh [RISKSTEP] [N...]
# (default: build/tests/riskstep_test_kinds, riskstep with the echo kind, and 10000 100000; any
# riskstep that has the echo kind works, e.g. an older build to compare formats.) One Markdown row
# per N; KEEP=DIR keeps the out directories under DIR.
set -u
for tool in bc /usr/bin/time mpirun /usr/bin/python3; do
  command -v "$tool" > /dev/null || { echo "merge_scaling.sh: needs $tool (apt-get install bc time openmpi-bin python3-h5py python3-pandas)" >&2; exit 2; }
done
riskstep=$(realpath "${1:-build/tests/riskstep_test_kinds}"); shift || true
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(10000 100000)
work=$(mktemp -d /tmp/riskstep-merge.XXXXXX)
trap '[ -n "${DEBUG:-}" ] || rm -rf "$work"' EXIT
merge_ranks=${MERGE_RANKS:-2}

# timed RANKS LOG COMMAND...: runs COMMAND on RANKS ranks (1: without mpirun); prints its wall
# seconds and rank 0's peak RSS in MB, or fails showing the end of LOG.
timed() {
  local ranks=$1 log=$2; shift 2
  local rss="$work/rss" start end
  rm -f "$rss".*
  start=$(date +%s.%N)
  if [ "$ranks" -eq 1 ]; then
    /usr/bin/time -f %M -o "$rss.0" "$@" > "$log" 2>&1
  else
    mpirun --allow-run-as-root --oversubscribe -np "$ranks" bash -c \
      'exec /usr/bin/time -f %M -o "$0.$OMPI_COMM_WORLD_RANK" "$@"' "$rss" "$@" > "$log" 2>&1
  fi || { tail -3 "$log" >&2; return 1; }
  end=$(date +%s.%N)
  printf '%.1f %d\n' "$(echo "$end - $start" | bc)" $(( $(tail -1 "$rss.0") / 1024 ))
}

echo "riskstep: $riskstep ($("$riskstep" --version 2>/dev/null | head -1))"
echo "| tasks | sweep, 2 ranks (s) | rank-0 RSS (MB) | merge-only 1 rank (s) | RSS (MB) | merge-only $merge_ranks ranks (s) | RSS (MB) | files | on disk (MB) | aggregate (s) | pandas /summary (s) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${counts[@]}"; do
  spec="$work/spec$n.toml" out="$work/out$n"
  printf 'kind = "echo"\n[grid]\ni = "0-%d"\n' $((n - 1)) > "$spec"
  read -r sweep sweep_rss < <(timed 2 "$work/run$n.txt" "$riskstep" sweep "$spec" --out "$out" --no-progress) || exit 1
  read -r one one_rss < <(timed 1 "$work/merge$n.txt" "$riskstep" sweep "$spec" --out "$out" --merge-only --no-progress) || exit 1
  read -r many many_rss < <(timed "$merge_ranks" "$work/merge$n.txt" "$riskstep" sweep "$spec" --out "$out" --merge-only --no-progress) || exit 1
  files=$(find "$out" -type f | wc -l)
  disk=$(( $(du -sk "$out" | cut -f1) / 1024 ))
  read -r aggregate _ < <(timed 1 "$work/aggregate$n.txt" "$riskstep" aggregate "$out") || exit 1
  pandas=$(/usr/bin/python3 - "$out/results.h5" <<'PY'
import sys, time
import h5py, pandas as pd
start = time.time()
with h5py.File(sys.argv[1], "r") as f:
    summary = pd.DataFrame(f["summary"][()])
elapsed = time.time() - start
assert len(summary) > 0
print(f"{elapsed:.2f}")
PY
) || exit 1
  echo "| $n | $sweep | $sweep_rss | $one | $one_rss | $many | $many_rss | $files | $disk | $aggregate | $pandas |"
  if [ -n "${KEEP:-}" ]; then mv "$out" "$KEEP/out$n"; else rm -rf "$out"; fi
done
