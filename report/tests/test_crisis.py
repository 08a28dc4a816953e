"""The crisis tables: riskstep compare's variants ranked, the baselines as given, hits per cell
from riskstep's per-task rows."""
import os

import pytest

from riskstep_report import crisis, load_series, load_summary

GARCH_T = "garch garch_dist=student_t garch_start=fgarch"
NETWORK = "mdn2 max_epochs=2"


def test_rankings_hits_and_figure(riskstep, backtest_file, tmp_path, capsys):
    status = crisis.main([backtest_file, "--riskstep", riskstep, "--show", NETWORK,
                          "--figures", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0
    assert out.count("### Level ") == 2  # every level of the results
    header = next(line for line in out.splitlines() if line.startswith("| variant |"))
    assert header.endswith("| tick DM p vs GARCH-t | FZ0 | days ES <= 0 | FZ0 - GARCH-t | "
                           "FZ0 DM p vs GARCH-t | FZ0 DM p vs FHS |")
    # garch_start=fgarch is hidden; the baseline's own DM cells are empty.
    assert "\n| garch garch_dist=student_t | 1 | " in out
    assert "| synthetic | covid | 521 | 5.2 |" in out
    # The network's hits: mean and range over its seeds, as the summary has them.
    summary = load_summary(backtest_file)
    hits = summary[(summary.model == "mdn2") & (summary.level == 0.01)].hits
    assert f"{hits.mean():.1f} ({hits.min()}-{hits.max()})" in out
    # Days with ES <= 0: counted in the network's own es_<level> series.
    expected = sum(int((load_series(backtest_file, t)["es_0.05"] <= 0).sum())
                   for t in summary.task_id[(summary.model == "mdn2") & (summary.level == 0.05)])
    at_5 = out[out.index("### Level 0.05"):]
    row = next(line for line in at_5.splitlines() if line.startswith(f"| {NETWORK} |"))
    assert row.split(" | ")[header.split(" | ").index("days ES <= 0")] == str(expected)
    figure = tmp_path / "crisis_var_covid.png"
    assert f"wrote {figure}" in out and os.path.getsize(figure) > 1000


def test_selection_with_baselines_as_arguments(riskstep, backtest_file, capsys):
    assert crisis.main([backtest_file, "--riskstep", riskstep, "--selection",
                        "--baselines", "FHS=fhs", "--hide"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"chosen: {NETWORK}"  # the only variant with seeds
    assert "| tick DM p vs FHS |" in out and "GARCH-t" not in out
    assert f"\n| {GARCH_T} | 1 | " in out  # nothing hidden


def test_unknown_baseline_exits_2_with_riskstep_line(riskstep, backtest_file, capsys):
    assert crisis.main([backtest_file, "--riskstep", riskstep,
                        "--baselines", "X=no such"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("crisis_report.py: riskstep compare: --baseline "
                                               "'no such' is not a variant of these results")


@pytest.mark.parametrize("periods, names", [
    (["2008-01-01:2009-12-31", "2020"], ["crisis_var_2008.png", "crisis_var_2020.png"]),
    (["2008", "2008-06-01:2008-12-31"], ["crisis_var_2008.png",
                                         "crisis_var_2008-06-01_to_2008-12-31.png"]),
    (["calm"], ["crisis_var_calm.png"])])
def test_figure_names(periods, names):
    assert list(crisis.figure_names(periods).values()) == names
