"""The one runner of riskstep: tables are what `aggregate` prints, labels what `describe`
declares, and a failure carries riskstep's own line and status."""
import json
import subprocess

import pandas as pd
import pytest

from riskstep_report.errors import BadInput, RiskstepFailed
from riskstep_report.figures_var import model_choices
from riskstep_report.labels import Choices
from riskstep_report.riskstep_cli import Riskstep


def printed(riskstep, *arguments):
    return subprocess.run([riskstep, *arguments], capture_output=True, text=True,
                          check=True).stdout


def test_aggregate_tables_are_riskstep_json(riskstep, smoke_dir):
    tables = Riskstep(riskstep).aggregate(smoke_dir)
    document = json.loads(printed(riskstep, "aggregate", smoke_dir, "--format", "json"))
    assert list(tables) == [t["name"] for t in document["tables"]] == ["backtest_var"]
    frame, table = tables["backtest_var"], document["tables"][0]
    assert list(frame.columns) == [c["name"] for c in table["columns"]]
    assert len(frame) == len(table["rows"]) == 2 * 2 * 3 * 2
    for row, expected in zip(frame.itertuples(index=False), table["rows"]):
        for value, want in zip(row, expected):
            assert (pd.isna(value) and want is None) or value == want


def test_aggregate_by(riskstep, backtest_file):
    rows = Riskstep(riskstep).aggregate(backtest_file, by=["model", "level"])["backtest_var"]
    assert list(rows.columns[:2]) == ["model", "level"]
    assert rows[rows.model == "mdn2"].runs.tolist() == [3, 3]


def test_model_labels_and_order_are_describes(riskstep):
    document = json.loads(printed(riskstep, "describe", "backtest_var", "--format", "json"))
    model = next(s for s in document["kinds"][0]["settings"] if s["name"] == "model")
    models = model_choices(Riskstep(riskstep))
    assert models.values == [c["value"] for c in model["choices"]]
    assert [models.label(c["value"]) for c in model["choices"]] == \
        [c["label"] for c in model["choices"]]
    shuffled = list(reversed(models.values)) + ["zz_new", "aa_new"]
    assert models.ordered(shuffled) == models.values + ["aa_new", "zz_new"]
    assert models.label("zz_new") == "zz_new"  # an undeclared model shows as named


def test_choices_slots_are_stable():
    choices = Choices([("a", "A"), ("b", "B")])
    assert [choices.slot(v) for v in ("b", "x", "a", "y", "x")] == [1, 2, 0, 3, 2]
    among = choices.among(["x", "b"])  # the values a file holds: the first slots
    assert among.values == ["b", "x"] and among.label("b") == "B"
    assert [among.slot(v) for v in ("b", "x")] == [0, 1]


def test_compare_and_task_variants(riskstep, backtest_file):
    cli = Riskstep(riskstep)
    scores = cli.compare(backtest_file, 0.01, "fz0", "fhs")
    variants = cli.task_variants(backtest_file)
    assert set(scores.variant) == set(variants) == {
        "hs", "fhs", "garch garch_dist=student_t garch_start=fgarch", "mdn2 max_epochs=2"}
    assert scores.set_index("variant").loc["fhs", "vs_baseline"] != "yes"
    assert (scores.set_index("variant").tasks["mdn2 max_epochs=2"]) == 3


def test_failure_carries_riskstep_line_and_status(riskstep, tmp_path):
    missing = str(tmp_path / "none.h5")
    done = subprocess.run([riskstep, "aggregate", missing, "--format", "json"],
                          capture_output=True, text=True)
    with pytest.raises(RiskstepFailed) as error:
        Riskstep(riskstep).aggregate(missing)
    assert str(error.value) == done.stderr.strip()
    assert error.value.status == done.returncode == 2


def test_unknown_baseline_is_riskstep_message(riskstep, backtest_file):
    with pytest.raises(RiskstepFailed, match="is not a variant of these results") as error:
        Riskstep(riskstep).compare(backtest_file, 0.01, baseline="no such variant")
    assert error.value.status == 2


def test_missing_binary(tmp_path):
    with pytest.raises(BadInput, match="cannot run"):
        Riskstep(str(tmp_path / "riskstep")).describe("backtest_var")
