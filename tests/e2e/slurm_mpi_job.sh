#!/usr/bin/env bash
# riskstep slurm submit: the smoke sweep as one 2-rank MPI job on a real (local) Slurm gives the
# same results as a direct mpirun -np 2 run, and results.h5 records the Slurm job.
# usage: slurm_mpi_job.sh RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR
set -euo pipefail
source "$(dirname "$0")/slurm_lib.bash"
slurm_setup "$1" "$2"

direct_run "$work/direct"
job=$("$riskstep" slurm submit "$spec" --out "$work/slurm" --ntasks-per-node 2 --time 00:10:00)
[[ $job =~ ^[0-9]+$ ]] || slurm_fail "submit printed '$job', not a job id"
wait_for_job "$job" 600
state=$(job_state "$job")
[[ $state == COMPLETED ]] || slurm_fail "job $job ended $state"
grep -q "restart 0 on" "$work"/slurm/slurm/*-"$job".out || slurm_fail "no job log in $work/slurm/slurm"
same_results "$work/direct/results.h5" "$work/slurm/results.h5" "$job"
echo "PASS: Slurm job $job matches mpirun -np 2"
