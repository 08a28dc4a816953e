#!/usr/bin/python3
"""NSI per block and stage for each attention variant (like Fig. of Huang et al., ICCV 2023),
plus the study table (accuracy mean and sd per variant, parameter counts, mean NSI) and the
paper's claims tested against the runs (Welch t-tests over seeds).

usage: /usr/bin/python3 report/plot_nsi.py RESULTS.h5 [FIGURE.png] [--table TABLE.md]

RESULTS.h5 is a riskstep results file (riskstep sweep ... --out DIR gives DIR/results.h5) or one
written by `riskstep train --out`. Tasks of kind train_stepnet are grouped by their `attention`
parameter; the figure shows, per stage, the mean over seeds of each block's NSI mean, with the
band from the smallest per-sample minimum to the largest maximum.
"""
import argparse
import json
import statistics
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

ORDER = ["none", "se", "stepnet"]
COLOURS = {"none": "tab:blue", "se": "tab:orange", "stepnet": "tab:green"}


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def read_runs(path):
    runs = []
    with h5py.File(path, "r") as h5:
        if "tasks" not in h5:
            sys.exit(f"{path}: no /tasks group (not a riskstep results file)")
        for task_id, group in h5["tasks"].items():
            if text(group.attrs.get("kind", "")) != "train_stepnet" or text(group.attrs.get("status", "ok")) != "ok":
                continue
            params = json.loads(text(group.attrs["parameters"]))["params"]
            nsi = group["nsi"][()]
            runs.append({
                "id": task_id,
                "attention": params.get("attention", "none"),
                "accuracy": float(group.attrs["final_test_accuracy"]),
                "parameters": int(group.attrs["parameter_count"]),
                "stage": np.asarray(nsi["stage"]), "block": np.asarray(nsi["block"]),
                "mean": np.asarray(nsi["mean"]), "min": np.asarray(nsi["min"]), "max": np.asarray(nsi["max"]),
                "images_per_second": float(np.mean(group["history"][()]["images_per_second"])),
            })
    if not runs:
        sys.exit(f"{path}: no finished train_stepnet tasks")
    return runs


def grouped(runs):
    variants = sorted({r["attention"] for r in runs}, key=lambda a: ORDER.index(a) if a in ORDER else 99)
    return [(v, [r for r in runs if r["attention"] == v]) for v in variants]


def table(runs):
    lines = ["| attention | runs | test accuracy mean | sd | parameters | NSI mean (all blocks) | images/s |",
             "|---|---|---|---|---|---|---|"]
    for variant, members in grouped(runs):
        accuracy = [r["accuracy"] for r in members]
        sd = statistics.stdev(accuracy) if len(accuracy) > 1 else float("nan")
        nsi = statistics.mean(float(np.mean(r["mean"])) for r in members)
        rate = statistics.mean(r["images_per_second"] for r in members)
        lines.append(f"| {variant} | {len(members)} | {100 * statistics.mean(accuracy):.2f}% | {100 * sd:.2f} | "
                     f"{members[0]['parameters']:,} | {nsi:.3f} | {rate:.0f} |")
    return "\n".join(lines)


def stage_nsi(run, stage):
    """A run's NSI of one stage: the mean over its blocks of the per-block means."""
    return float(np.mean(run["mean"][run["stage"] == stage]))


def welch_p(a, b):
    """Two-sided Welch t-test p-value of mean(a) != mean(b); NaN with fewer than 2 runs a side."""
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    from scipy import stats
    return float(stats.ttest_ind(a, b, equal_var=False).pvalue)


def claims(runs):
    """The paper's two claims against these runs: accuracy (SE and StepNet above plain) and NSI
    (SE's above plain's in every stage). "holds" needs the difference in the claimed direction
    and a Welch p below 0.05; with a few seeds per variant only large effects can pass."""
    by = dict(grouped(runs))
    lines = ["| claim | measured (mean over seeds) | Welch p | holds here |", "|---|---|---|---|"]

    def row(claim, higher, lower, value, unit, scale=1.0):
        a = [value(r) for r in by.get(higher, [])]
        b = [value(r) for r in by.get(lower, [])]
        if not a or not b:
            lines.append(f"| {claim} | missing runs | | |")
            return
        difference = statistics.mean(a) - statistics.mean(b)
        p = welch_p(a, b)
        verdict = "yes" if difference > 0 and p < 0.05 else ("direction only" if difference > 0 else "no")
        lines.append(f"| {claim} | {scale * statistics.mean(a):.3f} vs {scale * statistics.mean(b):.3f}{unit} "
                     f"(difference {scale * difference:+.3f}{unit}) | {p:.3f} | {verdict} |")

    accuracy = lambda r: r["accuracy"]  # noqa: E731
    row("SE above plain in test accuracy", "se", "none", accuracy, " %", 100)
    row("StepNet above plain in test accuracy", "stepnet", "none", accuracy, " %", 100)
    row("StepNet above SE in test accuracy", "stepnet", "se", accuracy, " %", 100)
    for stage in sorted({int(s) for r in runs for s in r["stage"]}):
        row(f"NSI of SE above plain, stage {stage}", "se", "none", lambda r, s=stage: stage_nsi(r, s), "")
    return "\n".join(lines)


def figure(runs, out):
    stages = sorted({int(s) for r in runs for s in r["stage"]})
    fig, axes = plt.subplots(1, len(stages), figsize=(4.2 * len(stages), 3.4), squeeze=False)
    for axis, stage in zip(axes[0], stages):
        for variant, members in grouped(runs):
            masks = [r["stage"] == stage for r in members]
            blocks = members[0]["block"][masks[0]]
            mean = np.mean([r["mean"][m] for r, m in zip(members, masks)], axis=0)
            low = np.min([r["min"][m] for r, m in zip(members, masks)], axis=0)
            high = np.max([r["max"][m] for r, m in zip(members, masks)], axis=0)
            colour = COLOURS.get(variant)
            axis.plot(blocks, mean, marker="o", color=colour, label=variant)
            axis.fill_between(blocks, low, high, color=colour, alpha=0.15)
        axis.set_title(f"Stage {stage}")
        axis.set_xlabel("block t")
        axis.set_xticks(blocks)
    axes[0][0].set_ylabel("NSI  ||D_t - D_{t-1}|| / ||x_t - x_{t-1}||")
    axes[0][0].legend()
    fig.tight_layout()
    fig.savefig(out, dpi=130)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("figure", nargs="?", default="nsi.png")
    parser.add_argument("--table", help="also write the Markdown table here")
    args = parser.parse_args()
    runs = read_runs(args.results)
    markdown = table(runs) + "\n\n" + claims(runs)
    print(markdown)
    if args.table:
        with open(args.table, "w") as handle:
            handle.write(markdown + "\n")
    figure(runs, args.figure)
    print(f"wrote {args.figure}")


if __name__ == "__main__":
    main()
