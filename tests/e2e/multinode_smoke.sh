#!/usr/bin/env bash
# Many hosts for real (issue 12), 1: the smoke sweep on 2 hosts x 1 rank equals the one-host run.
# Two hosts are network namespaces of this machine (tools/local-cluster/local-cluster start --nodes 2), their
# ranks talk TCP over the bridge. Launched (a) by Slurm (riskstep slurm submit --nodes 2: mpirun in
# the batch step starts its orted on the second host with srun), (a') by Slurm with --launcher srun
# (srun --mpi=pmix starts the ranks) and (b) by plain mpirun with a host file, the second host
# reached through tools/local-cluster/netns-agent. Each time the task datasets equal a
# direct mpirun -np 2 run on one host, and every task records the host that ran it: both appear.
# usage: multinode_smoke.sh RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR (exit 77 = skipped)
set -uo pipefail
source "$(dirname "$0")/multinode_lib.bash"
mn_setup "$1" "$2" 2

direct_run "$work/direct"

# both_hosts RESULTS: tasks ran on rs-node1 and rs-node2 and nowhere else.
both_hosts() {
  local hosts
  hosts=$(task_hosts "$1") || mn_fail "cannot read the task hosts of $1"
  echo "tasks per host: $(tr '\n' ' ' <<<"$hosts")"
  [[ $(awk '{print $1}' <<<"$hosts" | tr '\n' ' ') == "rs-node1 rs-node2 " ]] ||
    mn_fail "tasks of $1 ran on '$(tr '\n' ' ' <<<"$hosts")', not on both rs-node1 and rs-node2"
}

echo "== (a) Slurm: riskstep slurm submit --nodes 2 --ntasks-per-node 1"
started=$SECONDS
job=$(mn_submit "$spec" --out "$work/slurm" --nodes 2 --ntasks-per-node 1 --time 00:10:00) ||
  mn_fail "riskstep slurm submit failed: $job"
[[ $job =~ ^[0-9]+$ ]] || mn_fail "submit printed '$job', not a job id"
wait_for_job "$job" 150
state=$(job_state "$job")
[[ $state == COMPLETED ]] || mn_fail "job $job ended $state"
[[ $(job_field "$job" NodeList) == "rs-node[1-2]" ]] || mn_fail "job $job ran on $(job_field "$job" NodeList)"
echo "job $job took $((SECONDS - started)) s"
same_results "$work/direct/results.h5" "$work/slurm/results.h5" "$job"
both_hosts "$work/slurm/results.h5"

echo "== (a') Slurm, ranks started by srun --mpi=pmix (riskstep slurm submit --launcher srun)"
started=$SECONDS
job2=$(mn_submit "$spec" --out "$work/srun" --nodes 2 --ntasks-per-node 1 --time 00:10:00 --launcher srun) ||
  mn_fail "riskstep slurm submit --launcher srun failed: $job2"
[[ $job2 =~ ^[0-9]+$ ]] || mn_fail "submit printed '$job2', not a job id"
wait_for_job "$job2" 150
state=$(job_state "$job2")
[[ $state == COMPLETED ]] || mn_fail "job $job2 ended $state"
# srun can end 0 when a task's launch failed (Slurm 22.05): insist on the sweep's own summary.
grep -q "(12 run now, 0 already done)" "$work"/srun/slurm/*-"$job2".out ||
  mn_fail "job $job2 (srun) completed without running the sweep: $(tail -n 5 "$work"/srun/slurm/*-"$job2".out)"
echo "job $job2 took $((SECONDS - started)) s"
same_results "$work/direct/results.h5" "$work/srun/results.h5" "$job2"
both_hosts "$work/srun/results.h5"

echo "== (b) plain mpirun from rs-node1 with a host file and tools/local-cluster/netns-agent"
started=$SECONDS
mn_mpirun rs-node1 -np 2 "$riskstep" sweep "$spec" --out "$work/hostfile" --no-progress >"$work/hostfile.log" 2>&1 ||
  {
    cat "$work/hostfile.log"
    mn_fail "mpirun over the host file failed"
  }
echo "mpirun took $((SECONDS - started)) s"
same_results "$work/direct/results.h5" "$work/hostfile/results.h5"
both_hosts "$work/hostfile/results.h5"
echo "PASS: smoke sweep on 2 hosts (Slurm jobs $job (mpirun) and $job2 (srun), mpirun --hostfile) equals one host"
