"""The Herrig (2023) comparison table: a herrig2023 sweep's hits next to the thesis's (99% VaR).

usage: herrig2023.py RESULTS [--level 0.01] [--thesis DIR] [--riskstep PATH]

One row per period and index of RESULTS, one column per model (in the order `riskstep describe
backtest_var` declares them), from `riskstep aggregate RESULTS --format json` at --level. A
model with one task in the cell: its hits and Kupiec LR_uc; with several (network seeds): hits
mean +- sd over them (n), the share passing Kupiec's test at 5% and the mean correlation between
VaR and the 5-day rolling sd of losses. Each cell ends with [thesis N], the thesis's hit count.
Then the tasks of each network (a model with a training protocol) flagged collapsed or
nonfinite_loss (`riskstep aggregate --by model,level,collapsed,nonfinite_loss`).

The thesis's hits: its `proportion_overshoots` (DIR/results/<index>_results_<period>.csv, the
author's own result files) times the test days of DIR/test_sets/<index>_<period>.csv;
herrig2023_thesis_models.csv beside this module names the riskstep model of each row and the
level the thesis is at (at another --level no thesis number is shown). DIR: the herrig2023
reference data, by default ../shared/data/herrig2023 beside the source tree.
"""
import argparse
import os
import re

import numpy as np
import pandas as pd

from riskstep_report.entry import run
from riskstep_report.errors import BadInput
from riskstep_report.figures_var import model_choices
from riskstep_report.reader import results_path
from riskstep_report.riskstep_cli import Riskstep
from riskstep_report.source_tree import SOURCE_TREE
from riskstep_report.var_tables import network_flags, network_models

THESIS_DATA = os.path.normpath(os.path.join(SOURCE_TREE, "..", "shared", "data", "herrig2023"))
THESIS_MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                             "herrig2023_thesis_models.csv")


def _csv(path, **options):
    try:
        return pd.read_csv(path, **options)
    except (OSError, pd.errors.ParserError) as error:
        raise BadInput(f"{path}: {getattr(error, 'strerror', None) or error}") from None


def thesis_hits(directory, models_file=THESIS_MODELS):
    """(level, {(index, period, model): hits}) of the thesis's result files in `directory`."""
    rows = _csv(models_file, comment="#", dtype={"thesis_row": str, "model": str})
    levels = set(rows.level)
    if len(levels) != 1:
        raise BadInput(f"{models_file}: expected one level, found {sorted(levels)}")
    results = os.path.join(directory, "results")
    if not os.path.isdir(results):
        raise BadInput(f"{results}: no such directory (give --thesis DIR, the herrig2023 "
                       "reference data)")
    hits = {}
    for name in sorted(os.listdir(results)):
        cell = re.fullmatch(r"(.+)_results_(.+)\.csv", name)
        if not cell:
            continue
        index, period = cell.groups()
        rates = _csv(os.path.join(results, name), index_col=0)
        days = len(_csv(os.path.join(directory, "test_sets", f"{index}_{period}.csv")))
        for row in rows.itertuples():
            if row.thesis_row not in rates.index:
                raise BadInput(f"{os.path.join(results, name)}: no row {row.thesis_row} "
                               f"(named in {models_file})")
            count = float(rates.loc[row.thesis_row, "proportion_overshoots"]) * days
            if abs(count - round(count)) > 0.05:
                raise BadInput(f"{os.path.join(results, name)}: {row.thesis_row}: "
                               f"proportion_overshoots x {days} days = {count:.3f}, not a count")
            hits[(index, period, row.model)] = int(round(count))
    return float(levels.pop()), hits


def cell_text(rows):
    """Our result of one model in one cell (one row of riskstep's study table)."""
    row = rows.iloc[0]
    runs = int(row["runs"]) if "runs" in rows else 1
    if runs == 1:
        hits = row["hits"] if "hits" in rows else row["hits_mean"]
        return f"{int(hits)} (LR_uc {row['lr_uc']:.3f})"
    return (f"{row['hits_mean']:.1f} ± {row['hits_sd']:.1f} (n={runs}), "
            f"Kupiec pass {row['pass_uc_rate']:.0%}, corr {row['volatility_correlation']:.2f}")


def comparison(table, level, models, thesis):
    """The Markdown lines of the table: `table` is riskstep's backtest_var study table, `thesis`
    {(index, period, model): hits} (empty: no thesis numbers)."""
    at = table[np.isclose(table.level, level)]
    if at.empty:
        raise BadInput(f"no backtest_var rows at level {level:g}")
    cells = [(index, period) for period in dict.fromkeys(at.period)
             for index in dict.fromkeys(at["index"])
             if ((at["index"] == index) & (at.period == period)).any()]
    shown = models.ordered(list(at.model) + [m for (i, p, m) in thesis if (i, p) in cells])
    lines = ["| index | period | " + " | ".join(shown) + " |", "|---|---|" + "---|" * len(shown)]
    for index, period in cells:
        texts = []
        for model in shown:
            rows = at[(at["index"] == index) & (at.period == period) & (at.model == model)]
            if len(rows) > 1:
                raise BadInput(f"{index} {period} {model}: {len(rows)} rows of the study table "
                               "(variants of one model); this table takes one per model")
            text = cell_text(rows) if len(rows) else "-"
            if (index, period, model) in thesis:
                text += f" [thesis {thesis[(index, period, model)]}]"
            texts.append(text)
        lines.append(f"| {index} | {period} | " + " | ".join(texts) + " |")
    return lines


def report(args):
    riskstep = Riskstep(args.riskstep)
    results = results_path(args.results)
    thesis_level, thesis = thesis_hits(args.thesis)
    table = riskstep.aggregate(results).get("backtest_var")
    if table is None:
        raise BadInput(f"{results}: no backtest_var tasks")
    same_level = np.isclose(thesis_level, args.level)
    lines = comparison(table, args.level, model_choices(riskstep), thesis if same_level else {})
    if not same_level:
        lines.append(f"\n(the thesis's numbers are at level {thesis_level:g}: none shown)")
    flags = network_flags(riskstep, results, args.level, network_models(table))
    if flags:
        lines.append("\nflagged networks (tasks):")
        lines += [f"  {model}: " + ", ".join(f"{flag} {count}" for flag, count in counts.items())
                  for model, counts in flags]
    print("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="herrig2023.py", description=__doc__.splitlines()[0],
                                     epilog="\n".join(__doc__.splitlines()[1:]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a herrig2023 sweep directory or its results.h5")
    parser.add_argument("--level", type=float, default=0.01, help="VaR level (default 0.01)")
    parser.add_argument("--thesis", default=THESIS_DATA,
                        help=f"the herrig2023 reference data (default {THESIS_DATA})")
    parser.add_argument("--riskstep", help="the riskstep binary (default: riskstep on PATH)")
    args = parser.parse_args(argv)
    return run(parser.prog, lambda: report(args))


if __name__ == "__main__":
    raise SystemExit(main())
