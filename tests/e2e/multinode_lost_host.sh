#!/usr/bin/env bash
# Many hosts for real (issue 12), 3: a host lost in the middle of a 2-host sweep.
#
#  1. Slurm: a 2-host job (riskstep slurm submit --nodes 2); rs-node2, the host without the batch
#     script, is lost as in a power failure (tools/local-cluster/local-cluster host-down: link down first, so no
#     FIN or RST reaches rs-node1, then every process of rs-node2 killed). slurmctld notices within
#     SlurmdTimeout (10 s on the local cluster), ends the job on rs-node1 (TERM, KILL after KillWait)
#     and requeues it (or, had mpirun failed first, the test resubmits). The time until the job and
#     rs-node1's ranks are gone is measured and bounded: riskstep's rank 0 would otherwise wait for
#     rank 1's report for ever. rs-node2 comes back (host-up) and the requeued job completes.
#  2. Plain mpirun over the host file, the link of rs-node2 cut with its processes alive (a network
#     partition). Open MPI notices through its launcher connection's TCP keepalive
#     (oob_tcp_keepalive_*, here 5 s idle + 3 x 2 s probes; the default is 300 + 9 x 20 s) and
#     aborts the job on both sides. The link comes back and the sweep is run again (3 ranks a host).
#
# Each time: the tasks finished before the loss are not run again (their records still where they were, once in
# the echo log, "(N run now, M already done)"), and results.h5 equals an uninterrupted run.
# usage: multinode_lost_host.sh RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR (exit 77 = skipped)
set -uo pipefail
source "$(dirname "$0")/multinode_lib.bash"
mn_setup "$4" "$2" 2  # the test binary: resume.toml is an echo spec

spec="$source_dir/tests/specs/resume.toml"
total=40
# work_ms is a run setting (same task ids); 2 s tasks keep rank 0 busy while the loss is noticed.
slow=(--set work_ms=2000)
bound=90  # seconds a lost host may take to end the job; more is a hang

# The reference, uninterrupted on one host, runs meanwhile (its tasks sleep; it needs no CPU).
mpirun --allow-run-as-root --oversubscribe -np 5 "$riskstep" sweep "$spec" --out "$work/ref" --no-progress \
  "${slow[@]}" >"$work/ref.log" 2>&1 &
ref_pid=$!
mn_bg_pids+=("$ref_pid")
reference() {  # waits for the reference run
  [[ -n $ref_pid ]] || return 0
  wait "$ref_pid" || {
    cat "$work/ref.log"
    mn_fail "reference run failed"
  }
  ref_pid=
}

records() { /usr/bin/python3 "$source_dir/tests/e2e/count_records.py" "$@"; }  # DIR [--list]
count_done() { records "$1" 2>/dev/null || echo 0; }

# wait_some OUT WHAT: until at least 4 tasks have records (fails after 120 s or when WHAT says the
# run is over); then prints how many.
wait_some() {
  local out=$1 what=$2 deadline=$((SECONDS + 120))
  until (($(count_done "$out") >= 4)); do
    ((SECONDS < deadline)) || mn_fail "no 4 tasks done after 120 s ($what)"
    eval "$what" || mn_fail "the run ended before 4 tasks were done ($what)"
    sleep 0.2
  done
}

# host_runs HOST: the riskstep, mpirun and orted processes still alive in HOST.
host_runs() {
  local pids
  pids=$(ip netns pids "$1" 2>/dev/null | tr '\n' ',' | sed 's/,$//')
  [[ -n $pids ]] || return 0
  ps -o comm= -p "$pids" 2>/dev/null | grep -E '^(riskstep|mpirun|orted|slurmstepd|slurm_script)$' | tr '\n' ' '
}

# snapshot OUT: "id log offset" of every finished task's record (logs are only appended to).
snapshot() { records "$1" --list | awk '{print $1, $4, $5}' | sort -u -k1,1; }

# check_resumed OUT BEFORE LOG RUNLOG: records of BEFORE still valid where they were, their
# tasks not rerun (LOG),
# the resumed run's own count (last "(N run now, M already done)" in RUNLOG) says so.
check_resumed() {
  local out=$1 before=$2 log=$3 runlog=$4 id where offset after
  after=$(records "$out" --list | awk '{print $1, $4, $5}')
  while read -r id where offset; do
    grep -qx "$id $where $offset" <<<"$after" || mn_fail "the record of $id ($where) is gone after the loss"
    [[ $(grep -c "^$id\$" "$log") -le 1 ]] || mn_fail "task $id ran $(grep -c "^$id\$" "$log") times"
  done <<<"$before"
  local done_before counts
  done_before=$(wc -l <<<"$before")
  counts=$(grep -o '([0-9]* run now, [0-9]* already done)' "$runlog" | tail -n1)
  [[ $counts == "($((total - done_before)) run now, $done_before already done)" ]] ||
    mn_fail "the resumed run says '$counts'; $done_before of $total tasks were done before"
  echo "resumed: $counts"
  (($(count_done "$out") == total)) || mn_fail "$(count_done "$out") of $total tasks have records"
}

echo "== 1. Slurm job on 2 hosts, rs-node2 lost (power failure)"
log1=$work/echo1.log
job=$(RISKSTEP_ECHO_LOG=$log1 mn_submit "$spec" --out "$work/lost" --nodes 2 --ntasks-per-node 1 \
  --time 00:10:00 --max-requeues 2 -- "${slow[@]}") || mn_fail "riskstep slurm submit failed: $job"
[[ $job =~ ^[0-9]+$ ]] || mn_fail "submit printed '$job', not a job id"
wait_some "$work/lost" "[[ \$(job_state $job) == @(PENDING|CONFIGURING|RUNNING) ]]"
[[ $(job_field "$job" BatchHost) == rs-node1 ]] || mn_fail "batch script on $(job_field "$job" BatchHost), expected rs-node1"
echo "$(count_done "$work/lost") of $total tasks done; losing rs-node2"
lost_at=$(date +%s.%N)
"$cluster" host-down rs-node2 >/dev/null || mn_fail "host-down rs-node2 failed"
job_gone="" ranks_gone=""
while :; do
  now=$(date +%s.%N)
  elapsed=$(awk -v a="$lost_at" -v b="$now" 'BEGIN {printf "%.1f", b - a}')
  state=$(job_state "$job")
  [[ -z $job_gone && $state != RUNNING && $state != COMPLETING ]] && job_gone=$elapsed
  [[ -z $ranks_gone && -z $(host_runs rs-node1) ]] && ranks_gone=$elapsed
  [[ -n $job_gone && -n $ranks_gone ]] && break
  awk -v e="$elapsed" -v b="$bound" 'BEGIN {exit !(e > b)}' &&
    mn_fail "$elapsed s after losing rs-node2: job $job is $state, rs-node1 still runs: $(host_runs rs-node1)"
  sleep 0.5
done
echo "MEASURED: job $job left RUNNING ${job_gone} s after rs-node2 was lost (now $state, node $(sinfo -h -n rs-node2 -o %T)); rs-node1's ranks, mpirun and steps gone after ${ranks_gone} s"
before=$(snapshot "$work/lost")
(($(wc -l <<<"$before") < total)) || mn_fail "all $total tasks finished before the loss ended the job: the test proves nothing"
[[ ! -e $work/lost/results.h5 ]] || mn_fail "results.h5 exists after the lost host"
"$cluster" host-up rs-node2 >/dev/null || mn_fail "host-up rs-node2 failed"
if [[ $state == PENDING || $state == REQUEUED ]]; then
  echo "Slurm requeued job $job (restarts $(job_field "$job" Restarts)); waiting for it"
  wait_for_job "$job" 150
  [[ $(job_state "$job") == COMPLETED ]] || mn_fail "requeued job $job ended $(job_state "$job")"
else
  echo "job $job ended $state; submitting again"
  job=$(RISKSTEP_ECHO_LOG=$log1 mn_submit "$spec" --out "$work/lost" --nodes 2 --ntasks-per-node 1 \
    --time 00:10:00 -- "${slow[@]}") || mn_fail "resubmit failed: $job"
  wait_for_job "$job" 150
  [[ $(job_state "$job") == COMPLETED ]] || mn_fail "resubmitted job $job ended $(job_state "$job")"
fi
check_resumed "$work/lost" "$before" "$log1" "$(ls "$work"/lost/slurm/*-"$job".out)"
reference
same_results "$work/ref/results.h5" "$work/lost/results.h5" "$job"

echo "== 2. plain mpirun over the host file, rs-node2's link cut (partition, its processes alive)"
log2=$work/echo2.log
keepalive=(--mca oob_tcp_keepalive_time 5 --mca oob_tcp_keepalive_intvl 2 --mca oob_tcp_keepalive_probes 3)
partition_run() {  # partition_run LOG [MPIRUN_ARGS]: the mpirun of this case
  local log=$1
  shift
  RISKSTEP_ECHO_LOG=$log2 mn_mpirun rs-node1 "$@" "${keepalive[@]}" -x RISKSTEP_ECHO_LOG \
    "$riskstep" sweep "$spec" --out "$work/partition" --no-progress "${slow[@]}" >"$log" 2>&1
}
partition_run "$work/partition1.log" -np 2 &
bg=$!
mn_bg_pids+=("$bg")
wait_some "$work/partition" "kill -0 $bg 2>/dev/null"
echo "$(count_done "$work/partition") of $total tasks done; cutting rs-node2's link"
cut_at=$SECONDS
"$cluster" link-down rs-node2 >/dev/null || mn_fail "link-down rs-node2 failed"
while kill -0 "$bg" 2>/dev/null; do
  ((SECONDS - cut_at <= bound)) || mn_fail "mpirun still runs $bound s after the partition: $(host_runs rs-node1)"
  sleep 0.5
done
wait "$bg"
status=$?
mpirun_gone=$((SECONDS - cut_at))
((status != 0)) || mn_fail "mpirun succeeded although rs-node2 was cut off"
until [[ -z $(host_runs rs-node1) && -z $(host_runs rs-node2) ]]; do
  ((SECONDS - cut_at <= bound)) ||
    mn_fail "after the partition: rs-node1 still runs '$(host_runs rs-node1)', rs-node2 '$(host_runs rs-node2)'"
  sleep 0.5
done
echo "MEASURED: mpirun ended (status $status) ${mpirun_gone} s after the partition; both sides' ranks gone after $((SECONDS - cut_at)) s"
grep -q "lost communication with a remote daemon" "$work/partition1.log" ||
  echo "note: mpirun did not report the lost daemon: $(tail -n 3 "$work/partition1.log")"
before=$(snapshot "$work/partition")
(($(wc -l <<<"$before") < total)) || mn_fail "all $total tasks finished before the partition ended the run"
"$cluster" link-up rs-node2 >/dev/null || mn_fail "link-up rs-node2 failed"
# The rerun: 3 ranks a host, so the remaining tasks take less time.
mn_ppr=3 partition_run "$work/partition2.log" -np 6 --oversubscribe || {
  cat "$work/partition2.log"
  mn_fail "the run after the partition failed"
}
check_resumed "$work/partition" "$before" "$log2" "$work/partition2.log"
same_results "$work/ref/results.h5" "$work/partition/results.h5"
echo "PASS: a lost host ends the job within ${job_gone} s (Slurm) / ${mpirun_gone} s (mpirun); the rerun completes, nothing finished is recomputed"
