"""Reading riskstep results files with h5py: the one place the report reads HDF5.

    from riskstep_report import load_summary, load_series
    summary = load_summary("out/smoke")                    # one row per task and level
    series = load_series("out/smoke", summary.task_id[0])  # that task's days

PATH is a results file (`riskstep sweep`, `backtest` or `train --out`) or a sweep directory (its
results.h5). Strings come back as str, never bytes. Only the documented paths are read (the root
attributes, `/summary`, `/tasks/<id>`; docs/hdf5-layout.md), so a file whose tasks are stored
elsewhere and linked there reads the same. Errors raise riskstep_report.errors.BadInput (its
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
        if not isinstance(self.file.get("tasks"), h5py.Group):
            self.file.close()
            raise BadInput(f"{self.path}: not a riskstep results file (no /tasks group)")
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
        for task_id in f["tasks"]:
            attrs = f["tasks"][task_id].attrs
            row = {"task_id": task_id, "kind": text(attrs.get("kind", "")),
                   "status": text(attrs.get("status", "")), "error": text(attrs.get("error", "")),
                   "wall_seconds": float(attrs.get("wall_seconds", np.nan)),
                   "host": text(attrs.get("host", ""))}
            row.update(_settings(path, task_id, attrs.get("parameters", "{}")))
            rows.append(row)
    frame = pd.DataFrame(rows, columns=None if rows else TASK_COLUMNS, dtype=object)
    frame["wall_seconds"] = frame["wall_seconds"].astype(float)
    return frame


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


def _task(f, path, task):
    group = f["tasks"].get(str(task))
    if not isinstance(group, h5py.Group):
        raise BadInput(f"{path}: no task {task} (the file holds {len(f['tasks'])})")
    if text(group.attrs.get("status", "ok")) != "ok":
        raise BadInput(f"{path}: task {task} failed: {text(group.attrs.get('error', ''))}")
    return group


def _datasets(group, prefix=""):
    """(name, dataset) of every dataset under group, subgroups as 'sub/name'."""
    for name, item in group.items():
        if isinstance(item, h5py.Group):
            yield from _datasets(item, f"{prefix}{name}/")
        elif isinstance(item, h5py.Dataset):
            yield f"{prefix}{name}", item


def _values(dataset):
    if h5py.check_string_dtype(dataset.dtype) is not None:
        return np.asarray(dataset.asstr()[()], dtype=object)
    return dataset[()]


def load_series(path, task, columns=None):
    """The task's per-day datasets as a DataFrame indexed by `date` (its `dates`): every
    one-dimensional dataset with one value per day (loss, var_<level>, hit_<level>,
    es_<level>, ..., model/sigma) under its name, and every per-day matrix (mixture/mu: day x
    component) as one column per matrix column, `<name>/<col_name>` (mixture/mu/k1). Tables
    (summary, history, backtest) are not per day: load_task_table. `columns` limits what is read
    to those names (a matrix by its name); names the task lacks are left out."""
    path = results_path(path)
    with _Results(path) as f:
        group = _task(f, path, task)
        if "dates" not in group:
            raise BadInput(f"{path}: task {task} has no per-day datasets (no dates)")
        dates = pd.to_datetime(_values(group["dates"]), format="%Y-%m-%d")
        series = {}
        for name, dataset in _datasets(group):
            if name == "dates" or dataset.dtype.names or (columns is not None and
                                                          name not in columns):
                continue
            if dataset.ndim == 1 and dataset.shape[0] == len(dates):
                series[name] = _values(dataset)
            elif dataset.ndim == 2 and dataset.shape[0] == len(dates):
                names = [text(c) for c in dataset.attrs.get("col_names", [])]
                names = names if len(names) == dataset.shape[1] else \
                    [str(k + 1) for k in range(dataset.shape[1])]
                values = dataset[()]
                for k, column in enumerate(names):
                    series[f"{name}/{column}"] = values[:, k]
    frame = pd.DataFrame(series, index=pd.DatetimeIndex(dates, name="date"))
    return frame


def load_task_table(path, task, name):
    """One table (compound dataset) of a task, e.g. `nsi` or `history`, as a DataFrame."""
    path = results_path(path)
    with _Results(path) as f:
        group = _task(f, path, task)
        dataset = group.get(name)
        if not isinstance(dataset, h5py.Dataset) or not dataset.dtype.names:
            raise BadInput(f"{path}: task {task} has no table {name}")
        return _table(dataset[()])


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
