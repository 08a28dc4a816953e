#!/usr/bin/env bash
# How long the merge of many small task files into results.h5 takes (issue 12): N echo tasks are
# computed once (mpirun -np 2), then `riskstep sweep --merge-only` is timed alone, which is exactly
# the merge: read and verify every task file (each rank a share), write results.h5 (rank 0), with
# 1 rank and with MERGE_RANKS ranks (default 2).
#   bash bench/merge_scaling.sh [RISKSTEP] [N...]
# (default: build/tests/riskstep_test_kinds, riskstep with the echo kind, and 10000 100000)
set -u
for tool in bc /usr/bin/time mpirun; do
  command -v "$tool" > /dev/null || { echo "merge_scaling.sh: needs $tool (apt-get install bc time openmpi-bin)" >&2; exit 2; }
done
riskstep=${1:-build/tests/riskstep_test_kinds}; shift || true
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(10000 100000)
work=$(mktemp -d /tmp/riskstep-merge.XXXXXX)
trap 'rm -rf "$work"' EXIT
mpirun=(mpirun --allow-run-as-root --oversubscribe -np 2)
for n in "${counts[@]}"; do
  printf 'kind = "echo"\n[grid]\ni = "0-%d"\n' $((n - 1)) > "$work/spec$n.toml"
  start=$(date +%s.%N)
  "${mpirun[@]}" "$riskstep" sweep "$work/spec$n.toml" --out "$work/out$n" --no-progress > "$work/run$n.txt" 2>&1 ||
    { tail -3 "$work/run$n.txt"; exit 1; }
  run=$(echo "$(date +%s.%N) - $start" | bc)
  merged=""
  for ranks in 1 ${MERGE_RANKS:-2}; do
    launch=("$riskstep"); [ "$ranks" -gt 1 ] && launch=(mpirun --allow-run-as-root --oversubscribe -np "$ranks" "$riskstep")
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/rss$n" "${launch[@]}" sweep "$work/spec$n.toml" --out "$work/out$n" \
      --merge-only --no-progress > "$work/merge$n.txt" 2>&1 || { tail -3 "$work/merge$n.txt"; exit 1; }
    merge=$(echo "$(date +%s.%N) - $start" | bc)
    merged+=$(printf '; merge with %d rank(s) %6.1f s (%.2f ms/task, peak RSS %d MB)' "$ranks" "$merge" \
      "$(echo "1000 * $merge / $n" | bc -l)" $(( $(cat "$work/rss$n") / 1024 )))
  done
  size=$(du -sm "$work/out$n/tasks" | cut -f1)
  results=$(du -m "$work/out$n/results.h5" | cut -f1)
  printf '%7d tasks: sweep %6.1f s (2 ranks)%s; task files %d MB, results.h5 %d MB\n' \
    "$n" "$run" "$merged" "$size" "$results"
  rm -rf "$work/out$n"
done
