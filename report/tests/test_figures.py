"""The figures are drawn from the tasks' own series, named as riskstep names things."""
import os
import subprocess

import pytest

from riskstep_report import figures_nsi, figures_var, load_series, load_summary
from riskstep_report.labels import Choices
from riskstep_report.riskstep_cli import Riskstep

PNG = b"\x89PNG\r\n\x1a\n"


def is_png(path):
    with open(path, "rb") as handle:
        return os.path.getsize(path) > 1000 and handle.read(8) == PNG


def test_var_figures_per_cell(riskstep, backtest_file, tmp_path):
    models = figures_var.model_choices(Riskstep(riskstep))
    written = figures_var.make_figures(backtest_file, 0.01, str(tmp_path), models)
    assert sorted(w["figure"] for w in written) == ["hits", "mixture", "var"]
    for item in written:
        assert item["path"] == str(tmp_path / f"synthetic_covid_{item['figure']}.png")
        assert is_png(item["path"])
    # The index as riskstep names it, the period with its test window's first and last day.
    dates = load_series(backtest_file, load_summary(backtest_file).task_id[0]).index
    assert written[0]["title"] == \
        f"synthetic, covid, {dates[0]:%Y-%m-%d} to {dates[-1]:%Y-%m-%d}"


def test_var_figures_of_a_sweep_beside_it(riskstep, smoke_dir, capsys):
    assert figures_var.main([smoke_dir, "--riskstep", riskstep]) == 0
    out = smoke_dir + "_figures"
    for index in ("alpha", "beta"):
        for period in ("calm", "covid"):
            assert is_png(os.path.join(out, f"{index}_{period}_var.png"))
            assert is_png(os.path.join(out, f"{index}_{period}_hits.png"))
            assert not os.path.exists(os.path.join(out, f"{index}_{period}_mixture.png"))
    assert "alpha calm: hs, cmm, garch ->" in capsys.readouterr().out  # describe's order
    # The sweep directory holds only riskstep's files: the sweep still resumes there.
    done = subprocess.run([riskstep, "sweep", os.path.join(smoke_dir, "spec.toml"), "--out",
                           smoke_dir, "--no-progress"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_var_figures_need_backtests(stepnet_dir, tmp_path):
    with pytest.raises(figures_var.BadInput) as error:
        figures_var.make_figures(stepnet_dir, 0.01, str(tmp_path), Choices([]))
    assert str(error.value) == f"{stepnet_dir}/results.h5: no backtest tasks with dates and loss"


def test_nsi_figure_table_and_claims(riskstep, stepnet_dir, tmp_path, capsys):
    figure, table = tmp_path / "nsi.png", tmp_path / "nsi.md"
    assert figures_nsi.main([stepnet_dir, str(figure), "--table", str(table),
                             "--riskstep", riskstep]) == 0
    assert is_png(figure)
    printed = capsys.readouterr().out
    study = Riskstep(riskstep).aggregate_markdown(os.path.join(stepnet_dir, "results.h5"))
    assert printed.startswith(study.strip())  # riskstep's table, as it prints it
    assert table.read_text() == printed.replace(f"wrote {figure}\n", "")
    claims = [line for line in printed.splitlines() if line.startswith("| SE above plain")
              or line.startswith("| NSI of SE above plain, stage")]
    assert len(claims) == 1 + 3  # accuracy, and NSI in each of the 3 stages
    assert "| StepNet above plain in test accuracy | missing runs | | |" in printed


def test_nsi_accuracy_is_riskstep_per_task(riskstep, stepnet_dir):
    runs = figures_nsi.read_runs(stepnet_dir, Riskstep(riskstep))
    summary = load_summary(stepnet_dir).set_index("task_id")
    assert sorted(r["id"] for r in runs) == sorted(summary.index)
    for run in runs:
        assert run["accuracy"] == pytest.approx(summary.final_test_accuracy[run["id"]])
        assert run["attention"] == summary.attention[run["id"]]


def test_claims_file_is_checked(tmp_path):
    bad = tmp_path / "claims.csv"
    bad.write_text("claim,higher,lower,measure\nx,se,none,speed\n")
    with pytest.raises(figures_nsi.BadInput, match="measure speed"):
        figures_nsi.read_claims(str(bad))
