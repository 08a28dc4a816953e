#!/usr/bin/env bash
# Many hosts for real (issue 12), 4: riskstep slurm submit --array 2 on 2 hosts. Each host offers
# one CPU, so the two one-rank shards run at the same time on different hosts, writing into the
# one output directory (this machine's file system plays the shared one); the merge job then
# writes results.h5, which equals one direct run. The task files record which shard and which
# host computed them.
# usage: multinode_array.sh RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR (exit 77 = skipped)
set -uo pipefail
source "$(dirname "$0")/multinode_lib.bash"
mn_setup "$1" "$2" 2

direct_run "$work/direct"
started=$SECONDS
mapfile -t jobs < <(mn_submit "$spec" --out "$work/array" --array 2 --time 00:10:00)
[[ ${#jobs[@]} -eq 2 && ${jobs[0]} =~ ^[0-9]+$ && ${jobs[1]} =~ ^[0-9]+$ ]] ||
  mn_fail "submit printed '${jobs[*]}', not an array and a merge job id"
array=${jobs[0]} merge=${jobs[1]}
wait_for_job "$array" 150
wait_for_job "$merge" 60
for task in 0 1; do
  state=$(job_state "${array}_$task")
  [[ $state == COMPLETED ]] || mn_fail "array task ${array}_$task ended $state"
done
[[ $(job_state "$merge") == COMPLETED ]] || mn_fail "merge job $merge ended $(job_state "$merge")"
echo "array $array + merge $merge took $((SECONDS - started)) s"
same_results "$work/direct/results.h5" "$work/array/results.h5" "$merge"
# Every part file (one per log, that is per shard here): the array job, its shard, the host of
# that shard; the shards' hosts differ.
/usr/bin/python3 - "$work/array/parts" "$array" <<'PY' || mn_fail "the shards did not run on different hosts"
import collections, glob, sys
import h5py
hosts = collections.defaultdict(set)
tasks = collections.Counter()
for path in glob.glob(sys.argv[1] + "/*.h5"):
    with h5py.File(path, "r") as f:
        root = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f.attrs.items()}
        held = f["tasks"][()]
    assert root.get("SLURM_ARRAY_JOB_ID") == sys.argv[2], (path, root)
    shard = root["SLURM_ARRAY_TASK_ID"]
    hosts[shard].update(h.decode() for h in held["host"])
    tasks[shard] += len(held)
assert set(hosts) == {"0", "1"}, dict(hosts)
assert all(len(h) == 1 for h in hosts.values()), dict(hosts)
assert hosts["0"] != hosts["1"], ("both shards ran on", hosts["0"])
assert set.union(*hosts.values()) == {"rs-node1", "rs-node2"}, dict(hosts)
print("shard 0:", tasks["0"], "tasks on", *hosts["0"], "| shard 1:", tasks["1"], "tasks on", *hosts["1"])
PY
echo "PASS: array job $array (2 shards on 2 hosts) + merge job $merge equal one direct run"
