"""Compare two riskstep results.h5 files task by task, ignoring what may differ between runs
(wall and training time, rank, creation time, host, MPI size, Slurm ids). With a job id, also require that
the second file records it as SLURM_JOB_ID or SLURM_ARRAY_JOB_ID somewhere in its root attrs.

usage: compare_results.py REFERENCE.h5 CANDIDATE.h5 [SLURM_JOB_ID]
"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "report"))
from riskstep_report import reader  # noqa: E402  (reads both layouts: task groups, or an index)

# sha256: a task group's checksum covers its wall time, so it differs between runs too.
RUN_SPECIFIC = {"wall_seconds", "wall seconds", "train_seconds", "rank", "created", "created_utc", "host",
                "mpi_size", "slurm", "finished_utc", "started_utc", "sha256", "task_id"}


def as_text(value):
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).decode()
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        return repr(value.tolist())
    if isinstance(value, np.generic):
        return repr(value.item())
    return repr(value)


def collect(path):
    """Every task's attributes, datasets and tables by name, /summary, and the root attributes of
    the file and of its part files (the run metadata of the ranks that wrote them), whichever
    layout the file has (docs/hdf5-layout.md)."""
    objects = {}

    def attributes(attrs):
        return {k: as_text(v) for k, v in attrs.items() if k not in RUN_SPECIFIC
                and not k.lower().startswith("slurm")}

    with h5py.File(path, "r") as f:
        root = {k: as_text(v) for k, v in f.attrs.items()}
        if isinstance(f.get("parts"), h5py.Dataset):
            for name in f["parts"][()]:
                part = os.path.join(os.path.dirname(path), name.decode())
                with h5py.File(part, "r") as p:
                    for k, v in p.attrs.items():
                        root.setdefault(f"{k} ({part})", as_text(v))
        if "summary" in f:
            objects["summary"] = ({}, f["summary"][()])
        for tid, attrs in reader._task_attributes(f):
            objects["tasks/" + tid] = (attributes(attrs), None)
            if reader.text(attrs.get("status", "ok")) != "ok":
                continue
            stored = reader._task(f, path, tid)
            for name, (values, _) in stored.datasets.items():
                objects[f"tasks/{tid}/{name}"] = ({}, values)
            for name, rows in stored.tables.items():
                objects[f"tasks/{tid}/{name}"] = ({}, rows)
    return objects, root


def equal_data(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, np.ndarray) and a.dtype.names:
        if a.dtype.names != b.dtype.names or a.shape != b.shape:
            return False
        return all(equal_data(a[n], b[n]) for n in a.dtype.names if n not in RUN_SPECIFIC)
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a, b, equal_nan=True)
    if a.dtype.kind in "OS" or b.dtype.kind in "OS":  # variable- or fixed-size strings
        return [as_text(x) for x in a.ravel()] == [as_text(x) for x in b.ravel()]
    return np.array_equal(a, b)


def main():
    reference, _ = collect(sys.argv[1])
    candidate, root = collect(sys.argv[2])
    problems = []
    for name in sorted(set(reference) | set(candidate)):
        if name not in candidate:
            problems.append(f"missing in candidate: {name}")
        elif name not in reference:
            problems.append(f"extra in candidate: {name}")
        else:
            (ra, rd), (ca, cd) = reference[name], candidate[name]
            if ra != ca:
                diff = {k for k in set(ra) | set(ca) if ra.get(k) != ca.get(k)}
                problems.append(f"{name}: attributes differ: {sorted(diff)}")
            if not equal_data(rd, cd):
                problems.append(f"{name}: data differ")
    tasks = [n for n in reference if n.count("/") == 1 and n.startswith("tasks/")]
    if not tasks:
        problems.append("reference has no tasks")
    if len(sys.argv) > 3:
        job = sys.argv[3]
        slurm = {k: v for k, v in root.items() if "slurm" in k.lower()}
        if job not in {v.strip("'") for v in slurm.values()}:
            problems.append(f"candidate root attributes do not record Slurm job {job}: {slurm}")
    for p in problems[:20]:
        print(p)
    print(f"compared {len(reference)} objects, {len(tasks)} tasks: "
          f"{'same' if not problems else f'{len(problems)} differences'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
