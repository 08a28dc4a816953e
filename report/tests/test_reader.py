"""The reader for users: its DataFrames hold what h5py reads, strings as str, and its errors
say what riskstep says."""
import json
import os

import h5py
import numpy as np
import pandas as pd
import pytest

from riskstep_report import load_series, load_summary, reader
from riskstep_report.errors import BadInput, NoResultsFile
from riskstep_report.riskstep_cli import Riskstep


def decoded(values):
    return [v.decode("utf-8") if isinstance(v, bytes) else v for v in values]


def no_bytes(frame):
    return not any(isinstance(v, bytes) for column in frame.columns
                   for v in frame[column].tolist()) and all(isinstance(c, str)
                                                            for c in frame.columns)


def test_summary_is_h5pys_table_with_str(backtest_file):
    summary = load_summary(backtest_file)
    with h5py.File(backtest_file, "r") as f:
        table = f["summary"][()]
    assert list(summary.columns) == list(table.dtype.names)
    assert len(summary) == len(table) == 6 * 2  # (3 classical + 3 seeds) x 2 levels
    assert no_bytes(summary)
    for column in table.dtype.names:
        if table.dtype[column].kind == "O":
            assert summary[column].tolist() == decoded(table[column])
            assert all(isinstance(v, str) for v in summary[column])
        else:
            np.testing.assert_array_equal(summary[column].to_numpy(), table[column])
    assert set(summary.model) == {"hs", "garch", "fhs", "mdn2"}


def test_summary_of_a_sweep_directory_is_its_results_file(smoke_dir):
    pd.testing.assert_frame_equal(load_summary(smoke_dir),
                                  load_summary(os.path.join(smoke_dir, "results.h5")))


def test_series_holds_every_per_day_dataset(backtest_file):
    summary = load_summary(backtest_file)
    network = summary.task_id[summary.model == "mdn2"].iloc[0]
    garch = summary.task_id[summary.model == "garch"].iloc[0]
    series = load_series(backtest_file, network)
    with h5py.File(backtest_file, "r") as f:
        group = f["tasks"][network]
        dates = decoded(group["dates"][()])
        assert series.index.name == "date"
        assert [d.strftime("%Y-%m-%d") for d in series.index] == dates
        for name in ("loss", "var_0.01", "hit_0.01", "es_0.01", "tick_0.01", "fz0_0.05"):
            np.testing.assert_array_equal(series[name].to_numpy(), group[name][()])
        mu = group["mixture/mu"][()]
        components = decoded(group["mixture/mu"].attrs["col_names"])
        for k, component in enumerate(components):
            np.testing.assert_array_equal(series[f"mixture/mu/{component}"], mu[:, k])
        assert not any(name in series for name in ("summary", "history", "backtest", "fits"))
    assert no_bytes(series)
    assert "model/sigma" in load_series(backtest_file, garch)


def test_series_reads_only_the_columns_asked_for(backtest_file):
    task = load_summary(backtest_file).task_id.iloc[0]
    series = load_series(backtest_file, task, columns=["loss", "var_0.05", "no_such"])
    assert list(series.columns) == ["loss", "var_0.05"]


def test_tasks_list_each_task_with_its_settings(backtest_file):
    tasks = reader.load_tasks(backtest_file)
    with h5py.File(backtest_file, "r") as f:
        assert sorted(tasks.task_id) == sorted(f["tasks"])
        for _, task in tasks.iterrows():
            attrs = f["tasks"][task.task_id].attrs
            parameters = json.loads(attrs["parameters"])["params"]
            assert reader.task_settings(task) == parameters
            assert task.kind == attrs["kind"] and task.status == "ok"


def test_task_table(stepnet_dir):
    task = load_summary(stepnet_dir).task_id.iloc[0]
    nsi = reader.load_task_table(stepnet_dir, task, "nsi")
    assert list(nsi.columns) == ["stage", "block", "mean", "min", "max", "count"]
    assert len(nsi) > 0 and set(nsi.stage) == {1, 2, 3}


def riskstep_message(riskstep, path):
    """What riskstep says of `path` (its stderr line without `riskstep aggregate: `)."""
    with pytest.raises(Exception) as error:
        Riskstep(riskstep).aggregate(path)
    return str(error.value).split(": ", 1)[1]


def test_missing_file_raises_riskstep_message(riskstep, tmp_path):
    missing = str(tmp_path / "none.h5")
    with pytest.raises(NoResultsFile) as error:
        load_summary(missing)
    assert isinstance(error.value, FileNotFoundError)
    assert str(error.value) == riskstep_message(riskstep, missing)


def test_unfinished_sweep_directory(riskstep, tmp_path):
    with pytest.raises(NoResultsFile) as error:
        load_series(str(tmp_path), "x")
    assert str(error.value) == riskstep_message(riskstep, str(tmp_path))
    assert "has the sweep finished?" in str(error.value)


def test_not_hdf5(tmp_path):
    path = tmp_path / "x.h5"
    path.write_text("not HDF5")
    with pytest.raises(BadInput, match="cannot open as an HDF5 file"):
        load_summary(str(path))


def test_hdf5_without_tasks(tmp_path):
    path = str(tmp_path / "other.h5")
    with h5py.File(path, "w") as f:
        f["x"] = [1, 2]
    with pytest.raises(BadInput, match="not a riskstep results file"):
        load_summary(path)


def test_unknown_and_failed_tasks(backtest_file, failed_dir):
    with pytest.raises(BadInput, match="no task nope"):
        load_series(backtest_file, "nope")
    _, out = failed_dir
    tasks = reader.load_tasks(out)
    failed = tasks[tasks.status == "failed"]
    assert len(failed) == 1 and "asked to fail" in failed.error.iloc[0]
    with pytest.raises(BadInput, match="failed: model 'b' was asked to fail"):
        load_series(out, failed.task_id.iloc[0])
