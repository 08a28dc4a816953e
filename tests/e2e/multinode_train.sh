#!/usr/bin/env bash
# Many hosts for real (issue 12), 2: data-parallel training of a small ResNet (MPI backend, one rank
# a host, gradients reduced with MPI_Allreduce over TCP between two hosts) equals the same training
# with 2 ranks on one host: the same task, bit-identical final parameters (final_parameters_sha256)
# and the same history (epoch, losses, accuracy, lr; timings excepted). Launched by plain mpirun
# over a host file (tools/local-cluster/netns-agent) and by mpirun inside a 2-host Slurm allocation.
#
# Bit-exact, not just close: riskstep reduces each gradient bucket with MPI_Allreduce(MPI_SUM) in
# the same bucket order on every rank, and with 2 ranks each element is one addition a + b, which
# IEEE makes commutative, so whichever rank adds (and over whichever transport, shared memory or
# TCP) the sum is the same bits. Open MPI's coll/tuned picks its algorithm from the communicator
# size and message size, not from the BTL, so the same rank count gives the same reduction order
# for more ranks as well; across different rank counts bit-exactness is not expected.
# usage: multinode_train.sh RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR (exit 77 = skipped)
set -uo pipefail
[[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]] ||
  {
    echo "SKIP: dataset-fashion-mnist is not installed"
    exit 77
  }
source "$(dirname "$0")/multinode_lib.bash"
mn_setup "$1" "$2" 2
"$riskstep" train --help 2>/dev/null | grep -q -- --steps-per-epoch || mn_skip "riskstep has no train command"

train=(train --depth 8 --epochs 1 --steps-per-epoch 5 --batch 32 --test-subset 100 --nsi-samples 20
  --threads 1 --backend mpi)
# Each rank notes its host first, so the test knows where the ranks ran.
cat >"$work/rank.sh" <<'SH'
#!/bin/bash
hostname > "$RANK_HOSTS.${OMPI_COMM_WORLD_RANK:?not started by Open MPI}"
exec "$@"
SH
chmod +x "$work/rank.sh"

# placed NAME: rank 0 ran on rs-node1 and rank 1 on rs-node2.
placed() {
  local where
  where="$(cat "$work/$1.host.0" 2>/dev/null) $(cat "$work/$1.host.1" 2>/dev/null)"
  [[ $where == "rs-node1 rs-node2" ]] || mn_fail "$1: ranks 0 and 1 ran on '$where', not on rs-node1 and rs-node2"
}

echo "== one host, 2 ranks"
started=$SECONDS
mpirun --allow-run-as-root --oversubscribe -np 2 "$riskstep" "${train[@]}" --out "$work/one.h5" \
  >"$work/one.log" 2>&1 || {
  cat "$work/one.log"
  mn_fail "training on one host failed"
}
echo "took $((SECONDS - started)) s"

echo "== 2 hosts x 1 rank, plain mpirun over the host file"
started=$SECONDS
mn_mpirun rs-node1 -np 2 -x RANK_HOSTS="$work/hostfile.host" "$work/rank.sh" "$riskstep" "${train[@]}" \
  --out "$work/hostfile.h5" >"$work/hostfile.log" 2>&1 || {
  cat "$work/hostfile.log"
  mn_fail "training over the host file failed"
}
echo "took $((SECONDS - started)) s"
placed hostfile

echo "== 2 hosts x 1 rank, mpirun in a Slurm allocation (orted started by srun)"
started=$SECONDS
cat >"$work/train.sbatch" <<SH
#!/bin/bash
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
exec mpirun -np 2 --map-by ppr:1:node --bind-to none ${mpi_tcp[*]} -x RANK_HOSTS="$work/slurm.host" \
  "$work/rank.sh" "$riskstep" ${train[*]} --out "$work/slurm.h5"
SH
job=$(sbatch --parsable -N 2 --ntasks-per-node 1 -t 5 -o "$work/slurm.log" "$work/train.sbatch") ||
  mn_fail "sbatch failed: $job"
wait_for_job "$job" 150
[[ $(job_state "$job") == COMPLETED ]] || {
  cat "$work/slurm.log"
  mn_fail "training job $job ended $(job_state "$job")"
}
echo "took $((SECONDS - started)) s"
placed slurm

/usr/bin/python3 - "$work/one.h5" "$work/hostfile.h5" "$work/slurm.h5" <<'PY' || mn_fail "a training on 2 hosts differs from the one on one host"
import sys
import h5py, numpy as np

def load(path):
    with h5py.File(path, "r") as f:
        (task, group), = f["tasks"].items()
        attrs = dict(group.attrs)
        return task, attrs, group["history"][()], int(f.attrs["mpi_size"])

one = load(sys.argv[1])
for path in sys.argv[2:]:
    other = load(path)
    assert other[0] == one[0], ("task ids differ", one[0], other[0])
    assert other[3] == one[3] == 2, ("mpi_size", one[3], other[3])
    a, b = one[1]["final_parameters_sha256"], other[1]["final_parameters_sha256"]
    assert a == b, ("final parameters differ", a, b)
    ha, hb = one[2], other[2]
    assert len(ha) == len(hb) == 1, (len(ha), len(hb))
    for name in ("epoch", "train_loss", "test_loss", "test_accuracy", "lr"):
        assert np.array_equal(ha[name], hb[name]), (name, ha[name], hb[name])
    print(path.rsplit("/", 1)[1], "task", other[0], "final parameters", b.decode() if isinstance(b, bytes) else b,
          "history same")
PY
echo "PASS: training on 2 hosts (mpirun --hostfile, Slurm job $job) is bit-identical to 2 ranks on one host"
