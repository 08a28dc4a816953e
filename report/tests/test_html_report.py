"""The HTML page: written by `riskstep report` through the package, its tables exactly riskstep
aggregate's, its figures and sections there, its errors one line."""
import base64
import io
import os
import re
import subprocess

import pandas as pd

from riskstep_report import html_report
from riskstep_report.riskstep_cli import Riskstep


def csv_links(page):
    """{file name: DataFrame} of the page's CSV downloads."""
    return {name: pd.read_csv(io.StringIO(base64.b64decode(data).decode()),
                              keep_default_na=False, na_values=["nan"])
            for name, data in re.findall(r'download="([^"]+)" href="data:text/csv;base64,([^"]+)"',
                                         page)}


def test_riskstep_report_of_a_sweep(riskstep, smoke_dir, tmp_path):
    out = tmp_path / "page.html"
    done = subprocess.run([riskstep, "report", smoke_dir, "--out", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == str(out)
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<title>riskstep report: smoke</title>" in page
    for section in ('id="run">What was run', 'id="tables">Study tables',
                    'id="scores">Model scores', 'id="figures">Figures'):
        assert section in page
    # The study table is riskstep's: its CSV download holds aggregate's rows and columns.
    table = Riskstep(riskstep).aggregate(smoke_dir)["backtest_var"]
    downloaded = csv_links(page)["backtest_var_table.csv"]
    assert list(downloaded.columns) == list(table.columns)
    pd.testing.assert_frame_equal(downloaded, table, check_dtype=False, rtol=1e-12)
    assert "<caption>level 0.01 (99% VaR)</caption>" in page  # 24 rows: split by level
    assert 'title="GARCH(1,1)">garch</td>' in page  # describe's label
    # A VaR chart and a hits chart per index x period, titled with the test window's days.
    assert page.count("<img ") == 2 * 4
    assert re.search(r"<h3>alpha, calm, 2017-01-\d\d to 2018-12-\d\d</h3>", page)
    assert "spec_text" in page and "model_scores.csv" in csv_links(page)


def test_page_with_networks(riskstep, backtest_file, tmp_path, capsys):
    out = tmp_path / "b.html"
    assert html_report.main([backtest_file, "--out", str(out), "--riskstep", riskstep]) == 0
    page = out.read_text()
    assert "Flagged networks (tasks at level 0.01" in page and "mdn2: collapsed 0" in page
    assert "predicted mixture parameters of each network" in page
    assert not [name for name in os.listdir(tmp_path) if ".tmp." in name]


def test_page_names_failed_tasks(failed_dir, tmp_path):
    binary, results = failed_dir
    out = tmp_path / "echo.html"
    assert html_report.main([results, "--out", str(out), "--riskstep", binary]) == 0
    page = out.read_text()
    assert 'id="failed">Failed tasks (1)' in page
    assert "model &#x27;b&#x27; was asked to fail" in page
    assert "<h3>echo</h3>" in page


def test_page_says_why_riskstep_gave_no_table(riskstep, smoke_dir, tmp_path):
    broken = tmp_path / "riskstep"
    broken.write_text(f'#!/bin/sh\n[ "$1" = aggregate ] && {{ echo "riskstep aggregate: '
                      f'out of luck" >&2; exit 1; }}\nexec {riskstep} "$@"\n')
    broken.chmod(0o755)
    out = tmp_path / "p.html"
    assert html_report.main([smoke_dir, "--out", str(out), "--riskstep", str(broken)]) == 0
    page = out.read_text()
    assert "<b>No study table:</b> riskstep aggregate: out of luck." in page
    assert "_table.csv" not in page


def test_missing_input_exits_2_with_one_line(tmp_path, capsys):
    missing = tmp_path / "none.h5"
    assert html_report.main([str(missing), "--out", str(tmp_path / "x.html")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"report.py: {missing}: no such results file"]
    assert not (tmp_path / "x.html").exists()
