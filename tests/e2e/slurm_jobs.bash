# Slurm job queries shared by slurm_lib.bash and multinode_lib.bash; the library that sources this
# defines job_failed MESSAGE (its own way to fail the test).

# job_state ID: Slurm's state of the job, e.g. PENDING RUNNING COMPLETED FAILED (array: of task 0).
job_state() {
  scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n1
}

# job_field ID FIELD: e.g. job_field 12 Restarts
job_field() {
  scontrol show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n1
}

# wait_for_job ID SECONDS: until every task of the job has ended; fails on timeout.
wait_for_job() {
  local id=$1 deadline=$((SECONDS + $2))
  while squeue -h -j "$id" -o %T 2>/dev/null | grep -q .; do
    ((SECONDS < deadline)) || {
      squeue
      sinfo
      job_failed "job $id still not done after $2 s"
    }
    sleep 1
  done
}
