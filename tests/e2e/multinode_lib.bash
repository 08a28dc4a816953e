# Shared by tests/e2e/multinode_*.sh: a multi-host local Slurm (tools/local-cluster/local-cluster start --nodes N),
# each host a network namespace rs-nodeI on bridge rs-br0 (10.77.0.0/24). Each test starts its own
# cluster in its own state directory and on its own ports (so a one-node cluster of the slurm_*
# tests is never touched), holds the lock the slurm_* tests hold, and removes everything on exit:
# daemons, namespaces, links, bridge, state directory.
# Usage: source multinode_lib.bash; mn_setup RISKSTEP_BINARY SOURCE_DIR HOSTS

mn_skip() {
  echo "SKIP: $*"
  exit 77
}

mn_fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Open MPI between the hosts: TCP only (no shared memory), on the bridge network only, for the
# MPI traffic (btl) and for the launcher's own traffic (oob: mpirun <-> orted).
mn_net=10.77.0.0/24
mpi_tcp=(--mca btl tcp,self --mca btl_tcp_if_include "$mn_net" --mca oob_tcp_if_include "$mn_net")
mn_bg_pids=()
mpi_tcp_env=(OMPI_MCA_btl=tcp,self "OMPI_MCA_btl_tcp_if_include=$mn_net" "OMPI_MCA_oob_tcp_if_include=$mn_net")

mn_setup() {
  riskstep=$1
  source_dir=$2
  local hosts=$3
  [[ $(id -u) -eq 0 ]] || mn_skip "the multi-host local cluster needs root (network namespaces, slurmd)"
  local tool
  for tool in ip nsenter unshare mountpoint; do
    command -v "$tool" >/dev/null || mn_skip "no $tool: network namespaces are unavailable"
  done
  # Can namespaces be made here at all (a container without CAP_SYS_ADMIN cannot)?
  local probe=rs-probe-$$ err
  if ! err=$(ip netns add "$probe" 2>&1); then
    mn_skip "network namespaces are unavailable: ip netns add: $err"
  fi
  if ! err=$(ip link add "rs-probe$$" type veth peer name eth0 netns "$probe" 2>&1); then
    ip netns del "$probe" 2>/dev/null
    mn_skip "veth pairs are unavailable: $err"
  fi
  ip netns del "$probe" 2>/dev/null
  if ! command -v sbatch >/dev/null || ! PATH=$PATH:/usr/sbin command -v slurmctld >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd slurm-client munge >/dev/null 2>&1 ||
      mn_skip "Slurm packages are missing and cannot be installed"
  fi
  command -v mpirun >/dev/null || mn_skip "no mpirun"
  work=$(mktemp -d /tmp/riskstep-multinode-e2e.XXXXXX)
  # The lock of the slurm_* tests: one local Slurm test at a time, whatever ctest -j does.
  exec 9>/var/tmp/riskstep-slurm-e2e.lock
  flock 9
  export RISKSTEP_SLURM_DIR=/var/tmp/riskstep-slurm-multinode RISKSTEP_SLURM_PORT=16827
  cluster="$source_dir/tools/local-cluster/local-cluster"
  agent="$source_dir/tools/local-cluster/netns-agent"
  trap mn_teardown EXIT
  # Leftovers of an earlier run of these tests that was killed: ours (this state dir), so remove.
  "$cluster" stop >/dev/null 2>&1 || true
  local started=$SECONDS
  "$cluster" start --nodes "$hosts" >"$work/cluster-start.log" 2>&1 || {
    cat "$work/cluster-start.log"
    mn_fail "tools/local-cluster/local-cluster start --nodes $hosts failed"
  }
  echo "cluster of $hosts hosts up in $((SECONDS - started)) s"
  export SLURM_CONF=$RISKSTEP_SLURM_DIR/slurm.conf
  spec="$source_dir/jobs/specs/smoke.toml"
  # A host file for plain mpirun: one slot a host.
  hostfile=$work/hosts.txt
  for ((i = 1; i <= hosts; i++)); do echo "rs-node$i slots=1"; done >"$hostfile"
}

mn_teardown() {
  local status=$?
  trap - EXIT
  if [[ $status -ne 0 && -n ${work:-} ]]; then
    echo "--- job logs (test failed) ---"
    find "$work" -path '*/slurm/*.out' -print -exec tail -n 30 {} \; 2>/dev/null
    [[ -n ${RISKSTEP_SLURM_DIR:-} ]] && tail -n 15 "$RISKSTEP_SLURM_DIR"/log/slurmctld.log 2>/dev/null
  fi
  # Background runs of the test (mn_bg_pids): TERM (mpirun passes it to its ranks), then KILL.
  local pid
  for pid in ${mn_bg_pids[@]+"${mn_bg_pids[@]}"}; do
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null && sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null
  done
  if [[ -n ${cluster:-} ]]; then
    "$cluster" stop >/dev/null 2>&1 || echo "FAIL: tools/local-cluster/local-cluster stop failed" >&2
    # Nothing of the cluster may outlive the test: the CI machine runs other tests after this one.
    if ip netns list 2>/dev/null | grep -q '^rs-node' || ip link show rs-br0 >/dev/null 2>&1 ||
      [[ -e $RISKSTEP_SLURM_DIR ]]; then
      echo "FAIL: namespaces, bridge or $RISKSTEP_SLURM_DIR left behind after stop" >&2
      status=1
    fi
  fi
  [[ -n ${work:-} ]] && rm -rf "$work"
  exit "$status"
}

# in_host HOST COMMAND...: COMMAND as a process of that host.
in_host() {
  "$cluster" exec "$@"
}

# mn_submit ARGS...: riskstep slurm submit with the Open MPI settings for the hosts in the job's
# environment (sbatch passes the submitting environment on; mpirun reads OMPI_MCA_*).
mn_submit() {
  env "${mpi_tcp_env[@]}" "$riskstep" slurm submit "$@"
}

# mn_mpirun HOST ARGS...: plain mpirun started on HOST over the host file (one rank a host, or
# $mn_ppr), the other hosts reached through tools/local-cluster/netns-agent as Open MPI would reach them via ssh.
mn_mpirun() {
  local host=$1
  shift
  in_host "$host" mpirun --allow-run-as-root --hostfile "$hostfile" --map-by "ppr:${mn_ppr:-1}:node" \
    --bind-to none --mca plm_rsh_agent "$agent" "${mpi_tcp[@]}" "$@"
}

source "$(dirname "${BASH_SOURCE[0]}")/slurm_jobs.bash"
job_failed() { mn_fail "$@"; }

# direct_run OUT [SWEEP_ARGS...]: the reference, mpirun -np 2 on one host (this machine's own
# namespace, Open MPI's default transports), no Slurm.
direct_run() {
  local out=$1
  shift
  mpirun --allow-run-as-root --oversubscribe -np 2 "$riskstep" sweep "$spec" --out "$out" --no-progress "$@" \
    >"$out.log" 2>&1 || {
    cat "$out.log"
    mn_fail "direct mpirun -np 2 sweep failed"
  }
}

# same_results A B [SLURM_JOB_ID]: task results and summary equal, and B records the Slurm job.
same_results() {
  /usr/bin/python3 "$source_dir/tests/e2e/compare_results.py" "$@" ||
    mn_fail "results differ: $1 vs $2"
}

# task_hosts RESULTS_H5: "HOST COUNT" lines, how many tasks each host ran (task attribute host).
task_hosts() {
  PYTHONPATH="$source_dir/report" /usr/bin/python3 - "$1" <<'PY'
import collections, sys
from riskstep_report import reader
hosts = collections.Counter(reader.load_tasks(sys.argv[1])["host"])
for host, count in sorted(hosts.items()):
    print(host, count)
PY
}
