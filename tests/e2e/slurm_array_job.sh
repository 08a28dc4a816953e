#!/usr/bin/env bash
# riskstep slurm submit --array 3: three shards and a dependent merge job give the same results as
# a direct mpirun -np 2 run; every task ran in exactly one shard.
# usage: slurm_array_job.sh RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR
set -euo pipefail
source "$(dirname "$0")/slurm_lib.bash"
slurm_setup "$1" "$2"

"$riskstep" sweep --help | grep -q -- --merge-only ||
  slurm_fail "riskstep sweep has no --shard/--merge-only, which the array and merge jobs run"
direct_run "$work/direct"
mapfile -t jobs < <("$riskstep" slurm submit "$spec" --out "$work/array" --array 3 --max-concurrent 2 \
  --time 00:10:00)
[[ ${#jobs[@]} -eq 2 && ${jobs[0]} =~ ^[0-9]+$ && ${jobs[1]} =~ ^[0-9]+$ ]] ||
  slurm_fail "submit printed '${jobs[*]}', not an array and a merge job id"
array=${jobs[0]} merge=${jobs[1]}
[[ $(job_field "$merge" Dependency) == afterany:${array}* ]] ||
  slurm_fail "merge job $merge does not depend on array $array: $(job_field "$merge" Dependency)"
wait_for_job "$array" 600
wait_for_job "$merge" 300
for task in 0 1 2; do
  state=$(job_state "${array}_$task")
  [[ $state == COMPLETED ]] || slurm_fail "array task ${array}_$task ended $state"
done
[[ $(job_state "$merge") == COMPLETED ]] || slurm_fail "merge job $merge ended $(job_state "$merge")"
# Each shard ran its own tasks only: the shard logs' counts add up to the whole grid.
total=$("$riskstep" sweep "$spec" --out "$work/direct" --dry-run | tail -n1 | awk '{print $1}')
ran=$(cat "$work"/array/slurm/*-"${array}"_*.out | sed -n 's/.*(\([0-9]*\) run now.*/\1/p' |
  awk '{s += $1} END {print s}')
[[ $ran == "$total" ]] || slurm_fail "shards ran $ran tasks, the grid has $total"
same_results "$work/direct/results.h5" "$work/array/results.h5" "$merge"
# Each part file (one per shard's log) records the array job and the array task (shard) that
# computed its records.
/usr/bin/python3 - "$work/array/parts" "$array" <<'PY' || slurm_fail "part files do not record the array job"
import glob, sys
import h5py
shards = set()
for path in glob.glob(sys.argv[1] + "/*.h5"):
    with h5py.File(path, "r") as f:
        attrs = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f.attrs.items()}
    assert attrs.get("SLURM_ARRAY_JOB_ID") == sys.argv[2], (path, attrs)
    shards.add(attrs["SLURM_ARRAY_TASK_ID"])
assert shards == {"0", "1", "2"}, shards
print("part files record array job", sys.argv[2], "shards", sorted(shards))
PY
echo "PASS: array job $array (3 shards) + merge job $merge match mpirun -np 2"
