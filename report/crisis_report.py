#!/usr/bin/python3
"""The crisis study's tables and figures (results/CRISIS.md) from a crisis_models sweep.

Every number comes from `riskstep compare` (variants, hits against expected, pass rates, vol_slope,
tick and FZ0 loss, Diebold-Mariano tests; docs/results-columns.md, Comparisons) and the results
file's /summary and /tasks; this script only sorts, selects and formats.

Tables (Markdown on stdout), per level: every variant ranked by pooled |hits/expected - 1|, with
tick and FZ0 loss, the Diebold-Mariano p-value of its tick loss against GARCH-t and of its FZ0
loss against GARCH-t and against FHS;
then, at --level, hits per index x period for the variants named with --show. Figures (with
--figures DIR): losses and the 1% VaR of the --show variants through 2008-09 and 2020 per index
(networks: the seed with the median hits).
With --selection (on the crisis_models_selection sweep): the network variants at 1% ranked, and
the ones the rule of jobs/specs/crisis_models_selection.toml picks (smallest |hits/expected - 1|,
ties by FZ0 loss; and the lowest FZ0 loss).
Usage: /usr/bin/python3 report/crisis_report.py out/crisis_models [--show VARIANT ...]
           [--level 0.01] [--figures results] [--riskstep build/riskstep]
       /usr/bin/python3 report/crisis_report.py out/crisis_selection --selection
"""
import argparse
import io
import os
import subprocess
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from var_report import read_summary  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LEVELS = (0.01, 0.025, 0.05)
GARCH_T = "garch garch_dist=student_t garch_start=fgarch"
FIGURE_PERIODS = ("2008-01-01:2009-12-31", "2020-01-01:2020-12-31")


def compare(riskstep, results, *options):
    try:
        done = subprocess.run([riskstep, "compare", results, "--csv", *options],
                              capture_output=True, text=True)
    except OSError as error:
        sys.exit(f"crisis_report.py: cannot run {riskstep}: {error.strerror}")
    if done.returncode != 0:  # riskstep's own one-line reason
        sys.exit(done.stderr.strip() or f"riskstep compare exited {done.returncode}")
    return pd.read_csv(io.StringIO(done.stdout), keep_default_na=False, na_values=["nan"])


def nonpositive_es_days(results, variants, level):
    """Per variant, the days (over its tasks) whose ES forecast is <= 0: FZ0 is undefined there
    and riskstep scores such a day 1e6 (docs/results-columns.md, `fz0_<level>`)."""
    days = {}
    with h5py.File(results, "r") as f:
        for task_id, variant in variants.items():
            es = f["tasks"][task_id].get(f"es_{level:g}")
            if es is not None:
                days[variant] = days.get(variant, 0) + int((es[()] <= 0).sum())
    return pd.Series(days)


def scores(riskstep, results, level, fhs):
    """One row per variant at one level: riskstep's coverage columns, tick and FZ0 loss, and the
    FZ0 Diebold-Mariano p-value against GARCH-t and against FHS."""
    at = ["--level", str(level)]
    fz0 = compare(riskstep, results, *at, "--loss", "fz0", "--baseline", GARCH_T)
    tick = compare(riskstep, results, *at, "--loss", "tick", "--baseline", GARCH_T)
    tick = tick.set_index("variant")
    vs_fhs = compare(riskstep, results, *at, "--loss", "fz0", "--baseline", fhs).set_index("variant")
    fz0 = fz0.set_index("variant")
    fz0["tick_loss"] = tick.mean_loss
    fz0["tick_dm_p_vs_garch_t"] = tick.dm_p.where(tick.vs_baseline == "yes")
    fz0["fz0_loss"] = fz0.mean_loss
    fz0["dm_p_vs_garch_t"] = fz0.dm_p.where(fz0.vs_baseline == "yes")
    fz0["fz0_diff_vs_garch_t"] = fz0.mean_difference.where(fz0.vs_baseline == "yes")
    fz0["dm_p_vs_fhs"] = vs_fhs.dm_p.where(vs_fhs.vs_baseline == "yes")
    fz0["miss"] = (fz0.hits_ratio - 1).abs()
    fz0["es_nonpositive_days"] = nonpositive_es_days(results, task_variants(riskstep, results),
                                                     level).reindex(fz0.index).fillna(0)
    return fz0.sort_values(["miss", "fz0_loss"]).reset_index()


def short(variant):
    """A variant's name without the settings the study gives every model that has them (fGarch's
    start for GARCH fits; early stopping on 10 years for every monthly refit)."""
    for shared in (" garch_start=fgarch", " mdn_validation=early_stop", " train_years=10.0"):
        variant = variant.replace(shared, "")
    return variant


def markdown(frame):
    cells = [[str(v) for v in frame.columns]] + [[str(v) for v in row] for row in frame.values]
    lines = ["| " + " | ".join(row) + " |" for row in cells]
    lines.insert(1, "|" + "---|" * len(frame.columns))
    return "\n".join(lines)


def ranking_table(frame):
    def pct(column):
        return frame[column].map(lambda v: "-" if pd.isna(v) else f"{v:.0%}") \
            if column in frame else "-"

    def num(column, digits):
        return frame[column].map(lambda v: "-" if pd.isna(v) else f"{v:.{digits}f}")

    # Simulated p-values where the run has them (mc_coverage), else the asymptotic ones.
    mc = "pass_uc_mc_rate" in frame
    coverage = {"Kupiec (mc)": pct("pass_uc_mc_rate"), "cond. cov. (mc)": pct("pass_cc_mc_rate")} \
        if mc else {"Kupiec": pct("pass_uc_rate"), "cond. cov.": pct("pass_cc_rate")}
    return pd.DataFrame({
        "variant": frame.variant.map(short), "tasks": frame.tasks,
        "hits / expected": num("hits_ratio", 2), **coverage,
        "durations": pct("pass_duration_rate"), "ES Z2": pct("pass_z2_rate"),
        "vol slope": num("vol_slope", 2), "tick x1e4": (frame.tick_loss * 1e4).map("{:.3f}".format),
        "tick DM p vs GARCH-t": num("tick_dm_p_vs_garch_t", 3),
        "FZ0": num("fz0_loss", 4), "days ES <= 0": frame.es_nonpositive_days.astype(int),
        "FZ0 - GARCH-t": num("fz0_diff_vs_garch_t", 4),
        "FZ0 DM p vs GARCH-t": num("dm_p_vs_garch_t", 3), "FZ0 DM p vs FHS": num("dm_p_vs_fhs", 3)})


def chosen_networks(frame):
    """The selection rule: the network variant closest to calibrated (ties: lower FZ0 loss), and
    the one with the lowest FZ0 loss; `frame` is scores() at 1%, already in that order."""
    networks = frame[frame.variant.str.startswith("mdn")]
    calibrated = networks.variant.iloc[0]
    lowest_fz0 = networks.sort_values("fz0_loss").variant.iloc[0]
    return networks, list(dict.fromkeys([calibrated, lowest_fz0]))


def task_variants(riskstep, results):
    return compare(riskstep, results, "--list-tasks").set_index("task_id").variant


def hits_table(summary, shown, level):
    at = summary[(summary.level == level) & summary.variant.isin(shown)]
    rows = []
    for (index, period), g in at.groupby(["index", "period"], sort=False):
        row = {"index": index, "period": period, "days": int(g.days.iloc[0]),
               "expected": f"{level * g.days.iloc[0]:.1f}"}
        for variant in shown:
            h = g[g.variant == variant].hits
            row[short(variant)] = "-" if h.empty else (
                str(int(h.iloc[0])) if len(h) == 1 else f"{h.mean():.1f} ({int(h.min())}-{int(h.max())})")
        rows.append(row)
    return pd.DataFrame(rows)


def median_seed_task(rows):
    """The task with the median hits among a variant's seeds in one cell (the lower median)."""
    ordered = rows.sort_values(["hits", "task_id"])
    return ordered.task_id.iloc[(len(ordered) - 1) // 2]


def var_figure(results, summary, shown, period, path, level=0.01):
    cells = summary[(summary.level == level) & (summary.period == period)]
    indices = list(dict.fromkeys(cells["index"]))
    fig, axes = plt.subplots(len(indices), 1, figsize=(11, 3.2 * len(indices)), squeeze=False)
    fig.suptitle("Daily loss (grey bars), 1% VaR per model; dots: the model's hits (loss >= VaR)",
                 fontsize=9)
    suffix = f"{level:g}"
    with h5py.File(results, "r") as f:
        for ax, index in zip(axes[:, 0], indices):
            cell = cells[cells["index"] == index]
            first = f["tasks"][cell.task_id.iloc[0]]
            dates = pd.to_datetime([d.decode() if isinstance(d, bytes) else d
                                    for d in first["dates"][()]])
            ax.bar(dates, first["loss"][()], width=1.0, color="0.75", label="daily loss")
            for variant in shown:
                rows = cell[cell.variant == variant]
                if rows.empty:
                    continue
                group = f["tasks"][median_seed_task(rows)]
                var = group[f"var_{suffix}"][()]
                hit = group[f"hit_{suffix}"][()].astype(bool)
                line, = ax.plot(dates, var, lw=1.1, label=f"{short(variant)} ({hit.sum()} hits)")
                ax.scatter(dates[hit], group["loss"][()][hit], s=14, color=line.get_color(),
                           zorder=3)
            ax.set_title(f"{index}, {period.replace(':', ' to ')}: losses and {level:.0%} VaR "
                         f"(expected hits {level * len(dates):.1f})", fontsize=10)
            ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
            ax.legend(fontsize=7, loc="upper left", framealpha=0.85)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="the sweep directory or its results.h5")
    parser.add_argument("--show", nargs="*", default=[], help="variants for hits and figures")
    parser.add_argument("--level", type=float, default=0.01)
    parser.add_argument("--fhs", default="fhs", help="the FHS variant to test against")
    parser.add_argument("--figures", help="directory for the VaR figures")
    parser.add_argument("--figure-periods", nargs="*", default=list(FIGURE_PERIODS),
                        help="test periods drawn, one figure each")
    parser.add_argument("--selection", action="store_true",
                        help="rank the network variants at 1%% and name the chosen ones")
    parser.add_argument("--riskstep", default=os.path.join(os.path.dirname(HERE), "build", "jobs",
                                                           "riskstep"))
    args = parser.parse_args()
    results = args.results
    if os.path.isdir(results):
        results = os.path.join(results, "results.h5")
    if args.selection:
        ranked = scores(args.riskstep, results, 0.01, args.fhs)
        _, chosen = chosen_networks(ranked)
        print(markdown(ranking_table(ranked)))
        print("\nchosen: " + " | ".join(chosen))
        return
    for level in LEVELS:
        print(f"### Level {level:g}\n")
        print(markdown(ranking_table(scores(args.riskstep, results, level, args.fhs))))
        print()
    summary = read_summary(results)
    summary = summary[summary.status == "ok"].copy()
    summary["variant"] = summary.task_id.map(task_variants(args.riskstep, results))
    shown = [GARCH_T, args.fhs] + [v for v in args.show if v not in (GARCH_T, args.fhs)]
    print(f"### Hits at {args.level:g} per cell (networks: mean over seeds, range)\n")
    print(markdown(hits_table(summary, shown, args.level)))
    if args.figures:
        for period in args.figure_periods:
            name = f"crisis_var_{period[:4]}.png"
            var_figure(results, summary, shown, period, os.path.join(args.figures, name))
            print(f"\nwrote {os.path.join(args.figures, name)}")


if __name__ == "__main__":
    main()
