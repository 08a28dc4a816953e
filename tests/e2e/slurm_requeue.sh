#!/usr/bin/env bash
# Preemption on a real (local) Slurm, each half-way through the smoke sweep on one rank:
#  1. scontrol requeue from outside: the job restarts, resumes, and finished tasks are not rerun;
#  2. USR1 to the batch shell (what --signal=B:USR1@N sends before the time limit): the sweep stops
#     cleanly and the job requeues itself;
#  3. scancel (SIGTERM): no finished task is lost; submitting again completes the sweep.
# Each time the final results equal a direct mpirun -np 2 run.
# usage: slurm_requeue.sh RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR
set -euo pipefail
source "$(dirname "$0")/slurm_lib.bash"
slurm_setup "$1" "$2"

# Ten seeds make the grid 10x larger, so a one-rank job runs long enough to be caught half-way.
grid=(--set grid.seed=0-9)
direct_run "$work/direct" "${grid[@]}"
total=$("$riskstep" sweep "$spec" --out "$work/direct" --dry-run "${grid[@]}" | tail -n1 | awk '{print $1}')

submit() {  # submit OUT: one-rank job, so the sweep takes a while
  "$riskstep" slurm submit "$spec" --out "$1" --ntasks-per-node 1 --time 00:10:00 --max-requeues 2 \
    -- "${grid[@]}"
}

records() { /usr/bin/python3 "$source_dir/tests/e2e/count_records.py" "$@"; }  # DIR [--list]

# wait_half_way OUT JOB: until some but not all tasks have records; prints "id log offset" of each.
wait_half_way() {
  local out=$1 job=$2 deadline=$((SECONDS + 300)) done
  while :; do
    done=$(records "$out" 2>/dev/null || echo 0)
    ((done >= 1)) && break
    ((SECONDS < deadline)) || slurm_fail "no task finished in job $job after 300 s"
    job_ended "$job" && slurm_fail "job $job ended $(job_state "$job") before any task finished"
    sleep 0.2
  done
  ((done < total)) || slurm_fail "all $total tasks finished before the interruption: the test proves nothing"
  records "$out" --list | awk '{print $1, $4, $5}' | sort -u -k1,1
}

# unchanged BEFORE_LIST OUT: every record finished before the interruption is still where it was
# (logs are only appended to), and no task has a second record (none was computed again).
unchanged() {
  local id where offset after
  after=$(records "$2" --list | awk '{print $1, $4, $5}')
  while read -r id where offset; do
    grep -qx "$id $where $offset" <<<"$after" || slurm_fail "the record of $id ($where) is gone"
    [[ $(grep -c "^$id " <<<"$after") -eq 1 ]] || slurm_fail "$id was recomputed after the interruption"
  done <<<"$1"
}

echo "== 1. scontrol requeue half-way"
job=$(submit "$work/requeue")
before=$(wait_half_way "$work/requeue" "$job")
scontrol requeue "$job"
wait_for_job "$job" 600
[[ $(job_state "$job") == COMPLETED ]] || slurm_fail "requeued job $job ended $(job_state "$job")"
(($(job_field "$job" Restarts) >= 1)) || slurm_fail "job $job was not restarted"
unchanged "$before" "$work/requeue"
grep -q "restart 1 on" "$work"/requeue/slurm/*-"$job".out || slurm_fail "no restarted run in the log"
same_results "$work/direct/results.h5" "$work/requeue/results.h5" "$job"
echo "$(wc -l <<<"$before") of $total tasks were done before the requeue and were not rerun"

echo "== 2. USR1 (time limit near) half-way"
job=$(submit "$work/usr1")
before=$(wait_half_way "$work/usr1" "$job")
scancel --signal=USR1 --batch "$job"
wait_for_job "$job" 600
[[ $(job_state "$job") == COMPLETED ]] || slurm_fail "job $job ended $(job_state "$job") after USR1"
(($(job_field "$job" Restarts) >= 1)) || slurm_fail "job $job did not requeue itself after USR1"
log=$(cat "$work"/usr1/slurm/*-"$job".out)
grep -q "USR1 (time limit near)" <<<"$log" || slurm_fail "the job script did not see USR1"
grep -q "requeueing job $job" <<<"$log" || slurm_fail "the job did not requeue itself: $log"
unchanged "$before" "$work/usr1"
same_results "$work/direct/results.h5" "$work/usr1/results.h5" "$job"

echo "== 3. scancel (SIGTERM) half-way, then submit again"
job=$(submit "$work/cancel")
before=$(wait_half_way "$work/cancel" "$job")
scancel "$job"
wait_for_job "$job" 120
[[ $(job_state "$job") == CANCELLED ]] || slurm_fail "job $job ended $(job_state "$job") after scancel"
unchanged "$before" "$work/cancel"
job=$(submit "$work/cancel")
wait_for_job "$job" 600
[[ $(job_state "$job") == COMPLETED ]] || slurm_fail "resubmitted job $job ended $(job_state "$job")"
unchanged "$before" "$work/cancel"
same_results "$work/direct/results.h5" "$work/cancel/results.h5" "$job"
echo "PASS: requeue, USR1 and scancel lose no finished task and recompute none"
