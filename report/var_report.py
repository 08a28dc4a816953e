#!/usr/bin/python3
"""The Herrig (2023) comparison table from a herrig2023 sweep's results.h5 (99% VaR).

Classical models: hits and LR_uc next to the thesis; networks: hits mean and sd over seeds, Kupiec
pass rate at 5% and the volatility-clustering correlation, next to the thesis's single seed; then
the count of flagged networks (collapsed mixture, non-finite loss) per model.
Usage: /usr/bin/python3 report/var_report.py out/herrig2023/results.h5 [--level 0.01]
"""
import argparse

import h5py
import pandas as pd

# Hits of the thesis's target table (study var_herrig2023.md): HS, CMM, GARCH, mdn2, mdn2reg, mdn3.
THESIS_HITS = {
    ("ftse", "calm"): (11, 11, 7, 0, 7, 2),
    ("gspc", "calm"): (10, 18, 11, 12, 4, 2),
    ("stoxx50e", "calm"): (7, 9, 7, 0, 0, 0),
    ("ftse", "covid"): (6, 9, 10, 5, 3, 8),
    ("gspc", "covid"): (11, 19, 9, 8, 10, 0),
    ("stoxx50e", "covid"): (5, 10, 4, 3, 7, 3),
}
MODELS = ("hs", "cmm", "garch", "mdn2", "mdn2reg", "mdn3")


def read_summary(path):
    with h5py.File(path, "r") as f:
        summary = pd.DataFrame(f["summary"][()])
    for column in summary.columns:
        if summary[column].dtype == object:
            summary[column] = summary[column].str.decode("utf-8")
    return summary


def summary_from_arguments(doc):
    """A report script's command line (RESULTS [--level L], its help from `doc`): the /summary of
    RESULTS and the level."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--level", type=float, default=0.01)
    args = parser.parse_args()
    return read_summary(args.results), args.level


def main():
    summary, level = summary_from_arguments(__doc__)
    summary = summary[summary.level == level]
    print("| index | period | " + " | ".join(MODELS) + " |")
    print("|---|---|" + "---|" * len(MODELS))
    for (index, period), thesis in THESIS_HITS.items():
        cells = []
        for model, thesis_hits in zip(MODELS, thesis):
            rows = summary[(summary["index"] == index) & (summary.period == period) &
                           (summary.model == model)]
            if rows.empty:
                cells.append(f"- [thesis {thesis_hits}]")
            elif len(rows) == 1 and model in ("hs", "cmm", "garch"):
                row = rows.iloc[0]
                cells.append(f"{int(row.hits)} (LR_uc {row.lr_uc:.3f}) [thesis {thesis_hits}]")
            else:
                cells.append(f"{rows.hits.mean():.1f} ± {rows.hits.std():.1f} (n={len(rows)}), "
                             f"Kupiec pass {rows.pass_uc.mean():.0%}, "
                             f"corr {rows.volatility_correlation.mean():.2f} [thesis {thesis_hits}]")
        print(f"| {index} | {period} | " + " | ".join(cells) + " |")
    flags = [c for c in ("collapsed", "nonfinite_loss") if c in summary]
    networks = summary[summary.model.str.startswith("mdn")]
    if flags and not networks.empty:
        print("\nflagged networks (tasks):")
        for model, counts in networks.groupby("model")[flags].sum().iterrows():
            print(f"  {model}: " + ", ".join(f"{flag} {int(counts[flag])}" for flag in flags))

if __name__ == "__main__":
    main()
