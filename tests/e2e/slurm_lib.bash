# Shared by tests/e2e/slurm_*.sh: a real local Slurm (tools/local-cluster/local-cluster), started when not
# running and stopped afterwards when this test started it. Slurm tests hold a lock, so ctest -j
# never runs two of them against one cluster (or stops it under another).
# Usage: source slurm_lib.bash; slurm_setup RISKSTEP_BINARY SOURCE_DIR

slurm_skip() {
  echo "SKIP: $*"
  exit 77
}

slurm_fail() {
  echo "FAIL: $*" >&2
  exit 1
}

slurm_setup() {
  riskstep=$1
  source_dir=$2
  [[ $(id -u) -eq 0 ]] || slurm_skip "the local Slurm cluster needs root"
  if ! command -v sbatch >/dev/null || ! PATH=$PATH:/usr/sbin command -v slurmctld >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd slurm-client munge >/dev/null 2>&1 ||
      slurm_skip "Slurm packages are missing and cannot be installed"
  fi
  work=$(mktemp -d /tmp/riskstep-slurm-e2e.XXXXXX)
  exec 9>/var/tmp/riskstep-slurm-e2e.lock
  flock 9
  cluster="$source_dir/tools/local-cluster/local-cluster"
  started_cluster=0
  if ! "$cluster" status >/dev/null 2>&1; then
    "$cluster" start || slurm_fail "tools/local-cluster/local-cluster start failed"
    started_cluster=1
  fi
  eval "$("$cluster" env)"
  trap slurm_teardown EXIT
  spec="$source_dir/jobs/specs/smoke.toml"
  [[ -f $spec ]] || slurm_skip "no $spec yet"
  "$riskstep" sweep --help >/dev/null 2>&1 || slurm_skip "riskstep has no sweep command yet"
  "$riskstep" slurm submit --help >/dev/null 2>&1 ||
    slurm_skip "riskstep has no slurm command yet (jobs/main.cpp: add_slurm_command)"
}

slurm_teardown() {
  local status=$?
  if [[ $status -ne 0 && -n ${work:-} ]]; then
    echo "--- job logs (test failed) ---"
    find "$work" -path '*/slurm/*.out' -print -exec tail -n 30 {} \; 2>/dev/null
  fi
  if [[ -n ${SLURM_CONF:-} ]]; then
    local jobs
    jobs=$(squeue -h -o %A 2>/dev/null | tr '\n' ' ')
    [[ -z ${jobs// /} ]] || scancel $jobs 2>/dev/null
  fi
  if ((started_cluster)); then "$cluster" stop >/dev/null || true; fi
  [[ -n ${work:-} && -z ${RISKSTEP_KEEP_WORK:-} ]] && rm -rf "$work"
  exit "$status"
}

source "$(dirname "${BASH_SOURCE[0]}")/slurm_jobs.bash"
job_failed() { slurm_fail "$@"; }

# job_ended ID: the job is in a final state (or gone).
job_ended() {
  case $(job_state "$1") in
    PENDING | CONFIGURING | RUNNING | COMPLETING | REQUEUED | REQUEUE_HOLD | REQUEUE_FED | RESIZING | SUSPENDED) return 1 ;;
    "") squeue -h -j "$1" 2>/dev/null | grep -q . && return 1 || return 0 ;;
    *) return 0 ;;
  esac
}

# direct_run OUT [SWEEP_ARGS...]: the reference, a direct mpirun -np 2 run of the same spec.
direct_run() {
  local out=$1
  shift
  mpirun --allow-run-as-root --oversubscribe -np 2 "$riskstep" sweep "$spec" --out "$out" "$@" >"$out.log" 2>&1 ||
    {
      cat "$out.log"
      slurm_fail "direct mpirun -np 2 sweep failed"
    }
}

# same_results A B [SLURM_JOB_ID]: task results and summary equal, and B records the Slurm job.
same_results() {
  /usr/bin/python3 "$source_dir/tests/e2e/compare_results.py" "$@" ||
    slurm_fail "results differ: $1 vs $2"
}
