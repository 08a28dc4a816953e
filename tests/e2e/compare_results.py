"""Compare two riskstep results.h5 files task by task, ignoring what may differ between runs
(wall and training time, rank, creation time, host, MPI size, Slurm ids). With a job id, also require that
the second file records it as SLURM_JOB_ID or SLURM_ARRAY_JOB_ID somewhere in its root attrs.

usage: compare_results.py REFERENCE.h5 CANDIDATE.h5 [SLURM_JOB_ID]
"""
import sys

import h5py
import numpy as np

# sha256: a task group's checksum covers its wall time, so it differs between runs too.
RUN_SPECIFIC = {"wall_seconds", "wall seconds", "train_seconds", "rank", "created", "created_utc", "host",
                "mpi_size", "slurm", "finished_utc", "started_utc", "sha256"}


def as_text(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray):
        return repr(value.tolist())
    return repr(value)


def collect(path):
    """Every object of the file by name, and its root attributes. /tasks/<id> may be an external
    link into a part file (DIR/parts): it is followed, and the part's root attributes (the run
    metadata of the rank that wrote it) count as root attributes too. /parts, the list of the
    part files' names, differs between runs and is left out."""
    objects = {}

    def attributes(obj):
        return {k: as_text(v) for k, v in obj.attrs.items() if k not in RUN_SPECIFIC
                and not k.lower().startswith("slurm")}

    def visitor(prefix):
        def visit(name, obj):
            full = prefix + name
            if full == "parts" or full.startswith("tasks/"):
                return  # /parts is run-specific; tasks are visited below, links followed
            objects[full] = (attributes(obj), obj[()] if isinstance(obj, h5py.Dataset) else None)
        return visit

    with h5py.File(path, "r") as f:
        f.visititems(visitor(""))
        root = {k: as_text(v) for k, v in f.attrs.items()}
        parts = set()
        for tid in f["tasks"] if "tasks" in f else []:
            group = f["tasks"][tid]  # resolves an external link
            objects["tasks/" + tid] = (attributes(group), None)
            group.visititems(lambda name, obj, tid=tid: objects.__setitem__(
                f"tasks/{tid}/{name}",
                (attributes(obj), obj[()] if isinstance(obj, h5py.Dataset) else None)))
            if group.file.filename != f.filename and group.file.filename not in parts:
                parts.add(group.file.filename)
                for k, v in group.file.attrs.items():
                    root.setdefault(f"{k} ({group.file.filename})", as_text(v))
    return objects, root


def equal_data(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, np.ndarray) and a.dtype.names:
        if a.dtype.names != b.dtype.names or a.shape != b.shape:
            return False
        return all(equal_data(a[n], b[n]) for n in a.dtype.names)
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a, b, equal_nan=True)
    if a.dtype.kind == "O":
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
