"""Reading riskstep results files with h5py: the one place the report reads HDF5.

    from riskstep_report import load_summary, load_series
    summary = load_summary("out/smoke")                    # one row per task and level
    series = load_series("out/smoke", summary.task_id[0])  # that task's days

PATH is a results file (`riskstep sweep`, `backtest` or `train --out`) or a sweep directory (its
results.h5). Strings come back as str, never bytes. Only the documented paths are read (the root
attributes, `/summary`, and each task: `/tasks/<id>` of a self-contained file, or, in a sweep's
index, its row of /tasks pointing into a part file; docs/hdf5-layout.md). Errors raise riskstep_report.errors.BadInput (its
subclass NoResultsFile, a FileNotFoundError, when there is no file) with riskstep's wording.
"""
import json
import os

import h5py
import numpy as np
import pandas as pd

from riskstep_report.errors import BadInput, NoResultsFile


def results_path(path):
    """The results file PATH names: PATH itself, or PATH/results.h5 for a sweep directory."""
    path = os.fspath(path)
    if os.path.isdir(path):
        inside = os.path.join(path, "results.h5")
        if not os.path.exists(inside):
            raise NoResultsFile(f"{inside}: no such results file (has the sweep finished?)")
        return inside
    if not os.path.exists(path):
        raise NoResultsFile(f"{path}: no such results file")
    return path


def text(value):
    """An HDF5 string (bytes, numpy bytes or str) as str."""
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).decode("utf-8")
    return str(value)


class _Results:
    """An open results file: `with _Results(path) as f:` gives the h5py.File and checks /tasks."""

    def __init__(self, path):
        self.path = results_path(path)

    def __enter__(self):
        try:
            self.file = h5py.File(self.path, "r")
        except OSError as error:
            raise BadInput(f"{self.path}: cannot open as an HDF5 file: {error}") from None
        if not isinstance(self.file.get("tasks"), (h5py.Group, h5py.Dataset)):
            self.file.close()
            raise BadInput(f"{self.path}: not a riskstep results file (no /tasks)")
        return self.file

    def __exit__(self, *_):
        self.file.close()


def _table(values):
    """A compound (table) dataset's rows as a DataFrame, strings decoded."""
    frame = pd.DataFrame(values)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(text)
    frame.columns = [text(c) for c in frame.columns]
    return frame


def load_summary(path):
    """/summary: one row per ok task and level (docs/results-columns.md), an empty DataFrame when
    no finished task has summary rows."""
    with _Results(path) as f:
        if "summary" not in f:
            return pd.DataFrame()
        return _table(f["summary"][()])


def load_attributes(path):
    """The root attributes (riskstep version, spec text, host, ...) as a dict of str or numbers."""
    with _Results(path) as f:
        return {key: _attribute(value) for key, value in f.attrs.items()}


def _attribute(value):
    if isinstance(value, np.ndarray):
        return [_attribute(v) for v in value.tolist()]
    if isinstance(value, (bytes, np.bytes_, str)):
        return text(value)
    return value.item() if isinstance(value, np.generic) else value


TASK_COLUMNS = ["task_id", "kind", "status", "error", "wall_seconds", "host"]


def load_tasks(path):
    """One row per task (ok or failed): task_id, kind, status, error, wall_seconds, host, then its
    settings (the `parameters` attribute's params, defaults filled in; values as riskstep wrote
    them, NaN where a task of another kind has no such setting)."""
    rows = []
    with _Results(path) as f:
        for task_id, attrs in _task_attributes(f):
            row = {"task_id": task_id, "kind": text(attrs.get("kind", "")),
                   "status": text(attrs.get("status", "")), "error": text(attrs.get("error", "")),
                   "wall_seconds": float(attrs.get("wall_seconds", np.nan)),
                   "host": text(attrs.get("host", ""))}
            row.update(_settings(path, task_id, attrs.get("parameters", "{}")))
            rows.append(row)
    rows.sort(key=lambda row: row["task_id"])
    frame = pd.DataFrame(rows, columns=None if rows else TASK_COLUMNS, dtype=object)
    frame["wall_seconds"] = frame["wall_seconds"].astype(float)
    return frame


# A sweep's results.h5 (format 4) is an index: /tasks says which part file (/parts, relative to
# the results file) and row hold each task's record, packed by name (docs/hdf5-layout.md).
def _is_index(f):
    return isinstance(f.get("tasks"), h5py.Dataset)


def _part(f, number):
    name = text(f["parts"][number])
    try:
        return h5py.File(os.path.join(os.path.dirname(f.filename), name), "r")
    except OSError as error:
        raise BadInput(f"{f.filename}: cannot open its part {name}: {error}") from None


def _task_attributes(f):
    """(task id, dict of its attributes: kind, status, parameters, ..., the Result's own) of
    every task."""
    if not _is_index(f):
        for task_id in f["tasks"]:
            yield task_id, dict(f["tasks"][task_id].attrs)
        return
    index = f["tasks"][()]
    for number in range(len(f["parts"])):
        mine = index[index["part"] == number]
        if len(mine) == 0:
            continue
        with _part(f, number) as part:
            held = part["tasks"][()]
        for task_id, row in zip(mine["task_id"], mine["row"]):
            record = held[row] if row < len(held) else None
            if record is None or record["task_id"] != task_id:
                raise BadInput(f"{f.filename}: task {text(task_id)}: not at row {row} of its part "
                               "(run riskstep sweep --merge-only to write the index again)")
            attrs = {key: record[key] for key in held.dtype.names}
            attrs.update(json.loads(text(attrs.pop("attributes", "{}"))))
            yield text(task_id), attrs


def task_settings(row):
    """A load_tasks row's settings that the task has, as a dict."""
    return {key: value for key, value in row.items() if key not in TASK_COLUMNS
            and not (isinstance(value, float) and np.isnan(value))}


def _settings(path, task_id, parameters):
    try:
        parsed = json.loads(text(parameters))
    except json.JSONDecodeError as error:
        raise BadInput(f"{path}: task {task_id}: attribute parameters is not JSON ({error})")
    settings = parsed.get("params", parsed) if isinstance(parsed, dict) else {}
    return {key: value for key, value in settings.items() if key not in TASK_COLUMNS}


class _Task:
    """One task's stored data, whichever way the file holds it: `attrs` (kind, status, error,
    ...), `datasets` {name: (values, col_names or None)} of its columns and matrices, `tables`
    {name: structured array}."""

    def __init__(self, attrs, datasets, tables):
        self.attrs, self.datasets, self.tables = attrs, datasets, tables


def _grouped_task(group):
    datasets, tables = {}, {}
    for name, dataset in _datasets(group):
        if dataset.dtype.names:
            tables[name] = dataset[()]
        else:
            names = [text(c) for c in dataset.attrs.get("col_names", [])]
            datasets[name] = (_values(dataset), names if dataset.ndim == 2 else None)
    return _Task(dict(group.attrs), datasets, tables)


def _items(group):
    """(name, group) of every packed item under a section group: the groups holding `start`."""
    found = []
    group.visititems(lambda name, item: found.append(name[:-len("/start")])
                     if isinstance(item, h5py.Dataset) and name.endswith("start")
                     and (name == "start" or name.endswith("/start")) else None)
    return [(name, group[name]) for name in found]


_NUMPY = {0: "<f8", 1: "<i8"}  # schema_json's types: 0 double, 1 int64, 2 string


def _as_recorded(rows, schema):
    """A record's own columns of a packed table stored as the union of several records' (its
    `schema_json`: [[name, type], ...]; None when all records agree)."""
    if schema is None:
        return rows
    names = [name for name, _ in schema]
    dtype = [(name, _NUMPY.get(kind, rows.dtype[name])) for name, kind in schema]
    own = np.empty(len(rows), dtype=dtype)
    for name in names:
        own[name] = rows[name]
    return own


def _packed_task(part, row):
    record = part["tasks"][row]
    attrs = {key: record[key] for key in part["tasks"].dtype.names}
    attrs.update(json.loads(text(attrs.pop("attributes", "{}"))))
    datasets, tables = {}, {}
    for section in ("columns", "matrices", "tables"):
        for name, item in _items(part[section]) if section in part else []:
            if "present" in item and not item["present"][row]:
                continue
            start, stop = item["start"][row], item["start"][row + 1]
            schema = json.loads(text(item["schema_json"][row])) if "schema_json" in item else None
            if section == "tables":
                tables[name] = _as_recorded(item["values"][start:stop], schema)
            elif section == "columns":
                values = _values(item["values"], slice(start, stop))
                datasets[name] = (values.astype(_NUMPY[schema[0][1]]) if schema and
                                  schema[0][1] < 2 else values, None)
            else:
                cols = int(item["cols"][row])
                names = [text(c) for c in item["col_names"][()]] if "col_names" in item else \
                    json.loads(text(item["col_names_json"][row]))
                datasets[name] = (item["values"][start:stop].reshape(-1, max(cols, 1)), names)
    return _Task(attrs, datasets, tables)


def _task(f, path, task):
    if _is_index(f):
        index = f["tasks"][()]
        hits = np.nonzero(index["task_id"] == str(task).encode())[0]
        if len(hits) == 0:
            raise BadInput(f"{path}: no task {task} (the file holds {len(index)})")
        with _part(f, int(index["part"][hits[0]])) as part:
            row = int(index["row"][hits[0]])
            if row >= len(part["tasks"]) or text(part["tasks"][row]["task_id"]) != str(task):
                raise BadInput(f"{path}: task {task}: not at row {row} of {part.filename} "
                               "(run riskstep sweep --merge-only to write the index again)")
            stored = _packed_task(part, row)
    else:
        group = f["tasks"].get(str(task))
        if not isinstance(group, h5py.Group):
            raise BadInput(f"{path}: no task {task} (the file holds {len(f['tasks'])})")
        stored = _grouped_task(group)
    if text(stored.attrs.get("status", "ok")) != "ok":
        raise BadInput(f"{path}: task {task} failed: {text(stored.attrs.get('error', ''))}")
    return stored


def _datasets(group, prefix=""):
    """(name, dataset) of every dataset under group, subgroups as 'sub/name'."""
    for name, item in group.items():
        if isinstance(item, h5py.Group):
            yield from _datasets(item, f"{prefix}{name}/")
        elif isinstance(item, h5py.Dataset):
            yield f"{prefix}{name}", item


def _values(dataset, rows=()):
    if h5py.check_string_dtype(dataset.dtype) is not None:
        return np.asarray(dataset.asstr()[rows], dtype=object)
    return dataset[rows]


def load_series(path, task, columns=None):
    """The task's per-day datasets as a DataFrame indexed by `date` (its `dates`): every
    one-dimensional dataset with one value per day (loss, var_<level>, hit_<level>,
    es_<level>, ..., model/sigma) under its name, and every per-day matrix (mixture/mu: day x
    component) as one column per matrix column, `<name>/<col_name>` (mixture/mu/k1). Tables
    (summary, history, backtest) are not per day: load_task_table. `columns` limits what is read
    to those names (a matrix by its name); names the task lacks are left out."""
    path = results_path(path)
    with _Results(path) as f:
        stored = _task(f, path, task)
    if "dates" not in stored.datasets:
        raise BadInput(f"{path}: task {task} has no per-day datasets (no dates)")
    dates = pd.to_datetime(stored.datasets["dates"][0], format="%Y-%m-%d")
    series = {}
    for name, (values, col_names) in stored.datasets.items():
        if name == "dates" or (columns is not None and name not in columns):
            continue
        if values.ndim == 1 and values.shape[0] == len(dates):
            series[name] = values
        elif values.ndim == 2 and values.shape[0] == len(dates):
            names = col_names if col_names and len(col_names) == values.shape[1] else \
                [str(k + 1) for k in range(values.shape[1])]
            for k, column in enumerate(names):
                series[f"{name}/{column}"] = values[:, k]
    return pd.DataFrame(series, index=pd.DatetimeIndex(dates, name="date"))


def load_task_table(path, task, name):
    """One table (compound dataset) of a task, e.g. `nsi` or `history`, as a DataFrame."""
    path = results_path(path)
    with _Results(path) as f:
        stored = _task(f, path, task)
    if name not in stored.tables:
        raise BadInput(f"{path}: task {task} has no table {name}")
    return _table(stored.tables[name])


def level_column(columns, prefix, level):
    """The column `<prefix>_<level>` of `columns` (var_0.01), whatever spelling of the level
    (0.010, 1e-02); None when there is none."""
    for name in columns:
        if name.startswith(prefix + "_"):
            try:
                if abs(float(name[len(prefix) + 1:]) - float(level)) < 1e-12:
                    return name
            except ValueError:
                continue
    return None
