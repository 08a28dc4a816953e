#!/usr/bin/env bash
# One bounded fuzzing run: FUZZER SEED_CORPUS SECONDS. New inputs go to a scratch corpus (the seed
# corpus in the source tree is only read); a crash leaves its input in the scratch directory and
# fails the test, printing the input's path.
set -u
fuzzer=$1 seeds=$2 seconds=$3
work=$(mktemp -d /tmp/riskstep-fuzz.XXXXXX)
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work" "$seeds" > "$work/log" 2>&1
status=$?
grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$work/log" | tail -2
if [ "$status" -ne 0 ]; then
  tail -40 "$work/log"
  echo "FAIL: $fuzzer found a problem; its input is kept in $work"
  exit 1
fi
rm -rf "$work"
