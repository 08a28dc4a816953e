"""The crisis study's tables and figures (results/CRISIS.md) from a crisis_models sweep.

Every number comes from riskstep: `riskstep compare` (variants, hits against expected, pass
rates, vol_slope, tick and FZ0 loss, Diebold-Mariano tests; docs/results-columns.md,
Comparisons), `compare --list-tasks` (each task's variant) and `aggregate --by
index,period,days,task_id,level` (each task's hits); the daily series drawn and the days with a
non-positive ES forecast come from the tasks' own datasets. This script sorts, selects and formats.

Tables (Markdown on stdout), per level of the results: every variant ranked by pooled
|hits/expected - 1| (ties: lower FZ0 loss), with tick and FZ0 loss, the Diebold-Mariano p-value of
its tick and FZ0 loss against the first --baselines variant and of its FZ0 loss against each
other one; then, at --level, hits per index x period of the baselines and the --show variants
(several seeds: mean and range). With --figures DIR: per --figure-periods period (default: every
period) the losses and the --level VaR of those variants per index (several seeds: the seed with
the median hits), DIR/crisis_var_<first year>.png.
With --selection (on the crisis_models_selection sweep): every variant at --level ranked, and the
network variants (run over several seeds per cell) that the rule of
jobs/specs/crisis_models_selection.toml picks (smallest |hits/expected - 1|, ties by FZ0 loss;
and the lowest FZ0 loss).

Variants are named as compare names them, without the --hide settings (those the study gives
every model that has them). Usage:
  crisis_report.py out/crisis_models [--show VARIANT ...] [--level 0.01] [--figures results]
      [--figure-periods P ...] [--baselines LABEL=VARIANT ...] [--hide SETTING=VALUE ...]
  crisis_report.py out/crisis_selection --selection
"""
import argparse
import os
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from riskstep_report import reader  # noqa: E402
from riskstep_report.entry import run  # noqa: E402
from riskstep_report.errors import BadInput  # noqa: E402
from riskstep_report.labels import file_part, period_text  # noqa: E402
from riskstep_report.riskstep_cli import Riskstep  # noqa: E402

BASELINES = ["GARCH-t=garch garch_dist=student_t garch_start=fgarch", "FHS=fhs"]
HIDDEN = ["garch_start=fgarch", "mdn_validation=early_stop", "train_years=10.0"]


def baselines_from(pairs):
    """--baselines LABEL=VARIANT ... as [(label, variant)]."""
    parsed = []
    for pair in pairs:
        label, _, variant = pair.partition("=")
        if not label or not variant:
            raise BadInput(f"--baselines {pair!r}: expected LABEL=VARIANT")
        parsed.append((label, variant))
    if not parsed:
        raise BadInput("--baselines: give at least one LABEL=VARIANT")
    return parsed


class Study:
    """One crisis results file and what riskstep says of it, each asked once."""

    def __init__(self, riskstep, results, baselines, hidden):
        self.riskstep, self.results = riskstep, reader.results_path(results)
        self.baselines, self.hidden = baselines, set(hidden)
        self.variants = riskstep.task_variants(self.results)
        tasks = riskstep.aggregate(self.results, by=["index", "period", "days", "task_id",
                                                     "level"]).get("backtest_var")
        if tasks is None:
            raise BadInput(f"{self.results}: no backtest_var tasks")
        tasks["variant"] = tasks.task_id.map(self.variants)
        self.tasks = tasks
        self.levels = sorted(set(tasks.level))
        self._es_days = None

    def short(self, variant):
        """A variant's name without the hidden settings."""
        return " ".join(word for word in variant.split(" ") if word not in self.hidden)

    def es_nonpositive_days(self, level):
        """Per variant, the days (over its tasks) whose ES forecast at `level` is <= 0: FZ0 is
        undefined there and riskstep scores such a day 1e6 (docs/results-columns.md)."""
        if self._es_days is None:
            names = {f"es_{lv:g}": lv for lv in self.levels}
            counts = {}
            for task_id, variant in self.variants.items():
                series = reader.load_series(self.results, task_id, columns=list(names))
                for name, lv in names.items():
                    if name in series:
                        key = (variant, lv)
                        counts[key] = counts.get(key, 0) + int((series[name] <= 0).sum())
            self._es_days = counts
        return pd.Series({v: n for (v, lv), n in self._es_days.items() if lv == level},
                         dtype=float)

    def scores(self, level):
        """One row per variant at one level: riskstep's coverage columns, tick and FZ0 loss, the
        Diebold-Mariano p-values against the baselines; closest to calibrated first."""
        (_, first), others = self.baselines[0], self.baselines[1:]
        fz0 = self.riskstep.compare(self.results, level, "fz0", first).set_index("variant")
        tick = self.riskstep.compare(self.results, level, "tick", first).set_index("variant")
        fz0["tick_loss"] = tick.mean_loss
        fz0["tick_dm_p_vs_0"] = tick.dm_p.where(tick.vs_baseline == "yes")
        fz0["fz0_loss"] = fz0.mean_loss
        fz0["dm_p_vs_0"] = fz0.dm_p.where(fz0.vs_baseline == "yes")
        fz0["fz0_diff_vs_0"] = fz0.mean_difference.where(fz0.vs_baseline == "yes")
        for k, (_, variant) in enumerate(others, start=1):
            versus = self.riskstep.compare(self.results, level, "fz0", variant).set_index("variant")
            fz0[f"dm_p_vs_{k}"] = versus.dm_p.where(versus.vs_baseline == "yes")
        fz0["miss"] = (fz0.hits_ratio - 1).abs()
        fz0["es_nonpositive_days"] = self.es_nonpositive_days(level).reindex(fz0.index).fillna(0)
        return fz0.sort_values(["miss", "fz0_loss"]).reset_index()

    def ranking_table(self, frame):
        def pct(column):
            return frame[column].map(lambda v: "-" if pd.isna(v) else f"{v:.0%}") \
                if column in frame else "-"

        def num(column, digits):
            return frame[column].map(lambda v: "-" if pd.isna(v) else f"{v:.{digits}f}")

        # Simulated p-values where the run has them (mc_coverage), else the asymptotic ones.
        mc = "pass_uc_mc_rate" in frame
        coverage = {"Kupiec (mc)": pct("pass_uc_mc_rate"),
                    "cond. cov. (mc)": pct("pass_cc_mc_rate")} if mc else \
            {"Kupiec": pct("pass_uc_rate"), "cond. cov.": pct("pass_cc_rate")}
        first = self.baselines[0][0]
        versus = {f"FZ0 DM p vs {label}": num(f"dm_p_vs_{k}", 3)
                  for k, (label, _) in enumerate(self.baselines)}
        return pd.DataFrame({
            "variant": frame.variant.map(self.short), "tasks": frame.tasks,
            "hits / expected": num("hits_ratio", 2), **coverage,
            "durations": pct("pass_duration_rate"), "ES Z2": pct("pass_z2_rate"),
            "vol slope": num("vol_slope", 2),
            "tick x1e4": (frame.tick_loss * 1e4).map("{:.3f}".format),
            f"tick DM p vs {first}": num("tick_dm_p_vs_0", 3),
            "FZ0": num("fz0_loss", 4), "days ES <= 0": frame.es_nonpositive_days.astype(int),
            f"FZ0 - {first}": num("fz0_diff_vs_0", 4), **versus})

    def hits_table(self, shown, level):
        at = self.tasks[np.isclose(self.tasks.level, level) & self.tasks.variant.isin(shown)]
        rows = []
        for (index, period), g in at.groupby(["index", "period"], sort=False):
            row = {"index": index, "period": period, "days": int(g.days.iloc[0]),
                   "expected": f"{level * g.days.iloc[0]:.1f}"}
            for variant in shown:
                h = g[g.variant == variant].hits
                row[self.short(variant)] = "-" if h.empty else (
                    str(int(h.iloc[0])) if len(h) == 1 else
                    f"{h.mean():.1f} ({int(h.min())}-{int(h.max())})")
            rows.append(row)
        return pd.DataFrame(rows)

    def var_figure(self, shown, period, level, path):
        cells = self.tasks[np.isclose(self.tasks.level, level) & (self.tasks.period == period)]
        if cells.empty:
            raise BadInput(f"--figure-periods {period}: no such period in {self.results}")
        indices = list(dict.fromkeys(cells["index"]))
        fig, axes = plt.subplots(len(indices), 1, figsize=(11, 3.2 * len(indices)), squeeze=False)
        fig.suptitle(f"Daily loss (grey bars), {level:.0%} VaR per model; dots: the model's hits "
                     "(loss >= VaR)", fontsize=9)
        for ax, index in zip(axes[:, 0], indices):
            cell = cells[cells["index"] == index]
            first = reader.load_series(self.results, cell.task_id.iloc[0], columns=["loss"])
            dates = first.index
            ax.bar(dates, first["loss"], width=1.0, color="0.75", label="daily loss")
            for variant in shown:
                rows = cell[cell.variant == variant]
                if rows.empty:
                    continue
                series = reader.load_series(self.results, median_seed_task(rows))
                var = series[reader.level_column(series.columns, "var", level)]
                hit = series[reader.level_column(series.columns, "hit", level)].astype(bool)
                line, = ax.plot(dates, var, lw=1.1,
                                label=f"{self.short(variant)} ({int(hit.sum())} hits)")
                ax.scatter(dates[hit.to_numpy()], series["loss"][hit], s=14,
                           color=line.get_color(), zorder=3)
            ax.set_title(f"{index}, {period_text(period, dates[0], dates[-1])}: losses and "
                         f"{level:.0%} VaR (expected hits {level * len(dates):.1f})", fontsize=10)
            ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
            ax.legend(fontsize=7, loc="upper left", framealpha=0.85)
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)


def median_seed_task(rows):
    """The task with the median hits among a variant's seeds in one cell (the lower median)."""
    ordered = rows.sort_values(["hits", "task_id"])
    return ordered.task_id.iloc[(len(ordered) - 1) // 2]


def chosen_networks(frame):
    """The selection rule on scores() at one level (already in its order): the network variant
    (several seeds per cell: tasks > cells) closest to calibrated (ties: lower FZ0 loss), and the
    one with the lowest FZ0 loss."""
    networks = frame[frame.tasks > frame.cells]
    if networks.empty:
        raise BadInput("no network variants (none was run over several seeds per cell)")
    calibrated = networks.variant.iloc[0]
    lowest_fz0 = networks.sort_values("fz0_loss").variant.iloc[0]
    return networks, list(dict.fromkeys([calibrated, lowest_fz0]))


def markdown(frame):
    cells = [[str(v) for v in frame.columns]] + [[str(v) for v in row] for row in frame.values]
    lines = ["| " + " | ".join(row) + " |" for row in cells]
    lines.insert(1, "|" + "---|" * len(frame.columns))
    return "\n".join(lines)


def figure_names(periods):
    """crisis_var_<first year>.png per period (the period's file-name form where two share a
    year or a period does not start with one)."""
    years = [p[:4] if re.match(r"\d{4}", p) else None for p in periods]
    if None in years or len(set(years)) < len(years):
        return {p: f"crisis_var_{file_part(p)}.png" for p in periods}
    return {p: f"crisis_var_{y}.png" for p, y in zip(periods, years)}


def report(args):
    study = Study(Riskstep(args.riskstep), args.results, baselines_from(args.baselines),
                  HIDDEN if args.hide is None else args.hide)
    if args.selection:
        ranked = study.scores(args.level)
        _, chosen = chosen_networks(ranked)
        print(markdown(study.ranking_table(ranked)))
        print("\nchosen: " + " | ".join(chosen))
        return
    for level in study.levels:
        print(f"### Level {level:g}\n")
        print(markdown(study.ranking_table(study.scores(level))))
        print()
    shown = list(dict.fromkeys([v for _, v in study.baselines] + args.show))
    print(f"### Hits at {args.level:g} per cell (networks: mean over seeds, range)\n")
    print(markdown(study.hits_table(shown, args.level)))
    if args.figures:
        os.makedirs(args.figures, exist_ok=True)
        periods = args.figure_periods or list(dict.fromkeys(study.tasks.period))
        for period, name in figure_names(periods).items():
            path = os.path.join(args.figures, name)
            study.var_figure(shown, period, args.level, path)
            print(f"\nwrote {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="crisis_report.py", description=__doc__.splitlines()[0],
                                     epilog="\n".join(__doc__.splitlines()[1:]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="the sweep directory or its results.h5")
    parser.add_argument("--show", nargs="*", default=[], help="variants for hits and figures")
    parser.add_argument("--level", type=float, default=0.01,
                        help="level of the hits table, the figures and --selection (0.01)")
    parser.add_argument("--baselines", nargs="+", default=BASELINES, metavar="LABEL=VARIANT",
                        help="variants to test against, the first for tick and FZ0 (default: "
                             + "; ".join(BASELINES) + ")")
    parser.add_argument("--hide", nargs="*", metavar="SETTING=VALUE",
                        help="settings left out of variant names (default: "
                             + " ".join(HIDDEN) + ")")
    parser.add_argument("--figures", help="directory for the VaR figures")
    parser.add_argument("--figure-periods", nargs="*", default=[],
                        help="test periods drawn, one figure each (default: every period)")
    parser.add_argument("--selection", action="store_true",
                        help="rank the network variants at --level and name the chosen ones")
    parser.add_argument("--riskstep", help="the riskstep binary (default: riskstep on PATH)")
    args = parser.parse_args(argv)
    return run(parser.prog, lambda: report(args))


if __name__ == "__main__":
    raise SystemExit(main())
