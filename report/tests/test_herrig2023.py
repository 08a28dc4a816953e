"""The Herrig (2023) table: the thesis's hits read from its own result files, our cells from
riskstep's study table, models in describe's order."""
import os
import subprocess
import sys

import pandas as pd
import pytest

from riskstep_report import herrig2023
from riskstep_report.labels import Choices
from riskstep_report.source_tree import SOURCE_TREE

MODELS = Choices([("hs", "HS"), ("garch", "GARCH"), ("mdn2", "MDN")])


def test_thesis_hits_are_the_published_table(herrig_data):
    level, hits = herrig2023.thesis_hits(herrig_data)
    assert level == 0.01
    # The target table of the thesis (tests/unit/herrig_reproduction_test.cpp, kCases).
    models = ["hs", "cmm", "garch", "mdn2", "mdn2reg", "mdn3"]
    assert [hits[("gspc", "calm", m)] for m in models] == [10, 18, 11, 12, 4, 2]
    assert [hits[("stoxx50e", "covid", m)] for m in models] == [5, 10, 4, 3, 7, 3]
    assert len(hits) == 3 * 2 * 6


def test_table_of_a_reproduced_cell(riskstep, gspc_calm_file, herrig_data, capsys):
    status = herrig2023.main([gspc_calm_file, "--thesis", herrig_data, "--riskstep", riskstep])
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[0] == "| index | period | hs | cmm | garch | mdn2 | mdn2reg | mdn3 |"
    assert lines[2] == ("| gspc | calm | 10 (LR_uc 3.873) [thesis 10] | 18 (LR_uc 20.352) "
                        "[thesis 18] | 11 (LR_uc 5.370) [thesis 11] | - [thesis 12] | "
                        "- [thesis 4] | - [thesis 2] |")
    assert len(lines) == 3  # one cell, no networks: no flags


def test_networks_and_flags(riskstep, backtest_file, herrig_data, capsys):
    assert herrig2023.main([backtest_file, "--thesis", herrig_data, "--riskstep", riskstep]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "| index | period | hs | garch | fhs | mdn2 |"  # describe's order
    assert lines[2].startswith("| synthetic | covid | ") and "(n=3), Kupiec pass" in lines[2]
    assert "[thesis" not in out  # the thesis has no such cell
    assert lines[-2:] == ["flagged networks (tasks):", "  mdn2: collapsed 0, nonfinite_loss 0"]


def test_cells_formats_and_order():
    table = pd.DataFrame({
        "index": ["b", "b", "a", "a"], "period": ["p1", "p1", "p1", "p2"],
        "model": ["mdn2", "hs", "hs", "hs"], "level": 0.01, "runs": [4, 1, 1, 1],
        "hits_mean": [2.25, 7.0, 3.0, 4.0], "hits_sd": [1.5, float("nan")] + [float("nan")] * 2,
        "pass_uc_rate": [0.75, 1.0, 1.0, 1.0], "volatility_correlation": [0.5, 0.1, 0.1, 0.1],
        "lr_uc": [9.0, 1.23456, 2.0, 3.0]})
    lines = herrig2023.comparison(table, 0.01, MODELS, {("a", "p2", "garch"): 6})
    assert lines[0] == "| index | period | hs | garch | mdn2 |"
    assert lines[2:] == [
        "| b | p1 | 7 (LR_uc 1.235) | - | 2.2 ± 1.5 (n=4), Kupiec pass 75%, corr 0.50 |",
        "| a | p1 | 3 (LR_uc 2.000) | - | - |",
        "| a | p2 | 4 (LR_uc 3.000) | - [thesis 6] | - |"]


def test_two_variants_of_a_model_in_a_cell_are_refused():
    table = pd.DataFrame({"index": ["a", "a"], "period": ["p", "p"], "model": ["hs", "hs"],
                          "level": 0.01, "hits": [1.0, 2.0], "lr_uc": [1.0, 1.0]})
    with pytest.raises(herrig2023.BadInput, match="2 rows of the study table"):
        herrig2023.comparison(table, 0.01, MODELS, {})


def test_missing_thesis_data_exits_2_with_one_line(riskstep, backtest_file, tmp_path):
    script = os.path.join(SOURCE_TREE, "report", "herrig2023.py")
    done = subprocess.run([sys.executable, script, backtest_file, "--thesis", str(tmp_path),
                           "--riskstep", riskstep], capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"herrig2023.py: {tmp_path}/results: no such directory (give --thesis DIR, the "
        "herrig2023 reference data)"]
