#!/usr/bin/env bash
# What a sweep of N trivial (echo) tasks costs in storage (issue 22), for each N given:
#   sweep       the whole sweep on 2 ranks (mpirun -np 2), from an empty directory
#   merge 1/2   `sweep --merge-only` alone on 1 and on MERGE_RANKS (default 2) ranks, with
#               results.h5 and (format 4) DIR/parts removed first: made again from what the
#               sweep stored, as at the end of a sweep
#   rss         rank 0's peak resident memory, the largest of the sweep and the merges
#   files/MB    files and bytes in the out directory afterwards
#   aggregate   `riskstep aggregate DIR`
#   pandas      loading /summary into a pandas DataFrame (h5py, one call)
# The same runs with a second binary (BEFORE=path, e.g. a build of the previous format) are printed
# beside it with the ratio before/after, so both are measured on one machine in one run.
#   bash bench/merge_scaling.sh [RISKSTEP] [N...]
# (default: build/tests/riskstep_test_kinds, riskstep with the echo kind, and 10000 100000)
set -u
for tool in bc /usr/bin/time mpirun /usr/bin/python3; do
  command -v "$tool" > /dev/null || { echo "merge_scaling.sh: needs $tool (apt-get install bc time openmpi-bin python3-h5py python3-pandas)" >&2; exit 2; }
done
riskstep=${1:-build/tests/riskstep_test_kinds}; shift || true
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(10000 100000)
work=$(mktemp -d "${BENCH_TMP:-/tmp}/riskstep-merge.XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
# Runs BINARY ARGS on RANKS ranks, each under /usr/bin/time; prints seconds (rank 0's peak RSS in
# kB is left in $work/rss.0).
timed() {
  local ranks=$1 binary=$2; shift 2
  local launch=() start
  [ "$ranks" -gt 1 ] && launch=(mpirun --allow-run-as-root --oversubscribe -np "$ranks")
  rm -f "$work"/rss.*
  start=$(now)
  "${launch[@]}" bash -c '/usr/bin/time -f %M -o "$0.${OMPI_COMM_WORLD_RANK:-0}" "$@"' \
    "$work/rss" "$binary" "$@" > "$work/run.txt" 2>&1 || { tail -3 "$work/run.txt" >&2; return 1; }
  since "$start"
}
rss_kb() { cat "$work/rss.0"; }

measure() {  # BINARY N -> one line of figures
  local binary=$1 n=$2 spec="$work/spec$2.toml" out="$work/out" peak=0 sweep merge1 merge2 agg pd
  # One range stands for at most 100,000 integers: larger grids add a second axis (cost).
  local costs=$(((n + 99999) / 100000))
  printf 'kind = "echo"\n[grid]\ni = "0-%d"\ncost = [%s]\n' $((n / costs - 1)) \
    "$(seq -s, 1 "$costs" | sed 's/\([0-9]*\)/\1.0/g')" > "$spec"
  rm -rf "$out"
  sweep=$(timed 2 "$binary" sweep "$spec" --out "$out" --no-progress) || return 1
  peak=$(rss_kb)
  rm -rf "$out/parts" "$out/results.h5"  # the merge makes them again, as after a sweep
  merge1=$(timed 1 "$binary" sweep "$spec" --out "$out" --merge-only --no-progress) || return 1
  [ "$(rss_kb)" -gt "$peak" ] && peak=$(rss_kb)
  rm -rf "$out/parts" "$out/results.h5"
  merge2=$(timed "${MERGE_RANKS:-2}" "$binary" sweep "$spec" --out "$out" --merge-only \
    --no-progress) || return 1
  [ "$(rss_kb)" -gt "$peak" ] && peak=$(rss_kb)
  local start
  start=$(now)
  "$binary" aggregate "$out" > /dev/null || return 1
  agg=$(since "$start")
  pd=$(/usr/bin/python3 -c '
import sys, time, h5py, pandas as pd
start = time.perf_counter()
with h5py.File(sys.argv[1], "r") as f:
    frame = pd.DataFrame(f["summary"][()])
assert len(frame) == int(sys.argv[2]), len(frame)
print(f"{time.perf_counter() - start:.2f}")' "$out/results.h5" "$n") || return 1
  printf '%s %s %s %s %s %s %s %s %s' "$sweep" "$merge1" "$merge2" "$((peak / 1024))" \
    "$(find "$out" -type f | wc -l)" "$(($(du -sb "$out" | cut -f1) / 1000000))" "$agg" "$pd" \
    "$(du -sb "$out" | cut -f1)"
  rm -rf "$out"
}

printf '%8s %-7s %8s %8s %8s %7s %8s %7s %6s %6s %8s\n' tasks binary sweep_s merge1_s merge2_s \
  rss_MB files MB aggr_s pandas_s B/task
for n in "${counts[@]}"; do
  for which in after before; do
    binary=$riskstep
    if [ "$which" = before ]; then
      [ -n "${BEFORE:-}" ] || continue
      [ "$n" -le "${BEFORE_MAX:-100000}" ] || { echo "$(printf '%8d' "$n") before   (not run: BEFORE_MAX=${BEFORE_MAX:-100000})"; continue; }
      binary=$BEFORE
    fi
    measure "$binary" "$n" > "$work/figures" ||
      { echo "merge_scaling.sh: $which at $n tasks failed" >&2; exit 1; }
    read -r sweep merge1 merge2 rss files mb agg pd bytes < "$work/figures"
    eval "${which}_sweep=$sweep ${which}_merge2=$merge2 ${which}_bytes=$bytes"
    printf '%8d %-7s %8.1f %8.1f %8.1f %7d %8d %7d %6.2f %6.2f %8d\n' "$n" "$which" "$sweep" \
      "$merge1" "$merge2" "$rss" "$files" "$mb" "$agg" "$pd" $((bytes / n))
  done
  if [ -n "${BEFORE:-}" ] && [ "$n" -le "${BEFORE_MAX:-100000}" ]; then
    printf '%8d ratio before/after: sweep %.2fx, merge (2 ranks) %.2fx, bytes %.2fx\n' "$n" \
      "$(echo "$before_sweep / $after_sweep" | bc -l)" "$(echo "$before_merge2 / $after_merge2" | bc -l)" \
      "$(echo "$before_bytes / $after_bytes" | bc -l)"
  fi
done
