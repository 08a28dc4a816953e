"""NSI per block and stage for each attention variant (like the figure of Huang et al., ICCV 2023),
riskstep's study table, and the paper's claims tested against the runs (Welch t-tests over seeds).

usage: plot_nsi.py RESULTS [FIGURE.png] [--table TABLE.md] [--claims CSV] [--riskstep PATH]

RESULTS is a results file or sweep directory with train_stepnet tasks. The figure shows, per
stage, the mean over seeds of each block's NSI mean (each task's `nsi` table), with the band from
the smallest per-sample minimum to the largest maximum; variants in the order and colours of the
`attention` setting's choices (`riskstep describe train_stepnet`). Printed: `riskstep aggregate
RESULTS` (the study table), then the claims of stepnet_claims.csv (beside this module; --claims
for another) against the runs: accuracy per run from `riskstep aggregate --by attention,task_id`,
a stage's NSI per run from its `nsi` table.
"""
import argparse
import os
import statistics

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from riskstep_report import reader  # noqa: E402
from riskstep_report.entry import run  # noqa: E402
from riskstep_report.errors import BadInput  # noqa: E402
from riskstep_report.labels import Choices  # noqa: E402
from riskstep_report.riskstep_cli import Riskstep  # noqa: E402

CLAIMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stepnet_claims.csv")


def read_runs(results, riskstep):
    """Every ok train_stepnet task: id, attention, final test accuracy (riskstep's) and its NSI
    table as arrays (stage, block, mean, min, max). Raises BadInput when there is none."""
    results = reader.results_path(results)
    tasks = reader.load_tasks(results)
    if not tasks.empty:
        tasks = tasks[(tasks.kind == "train_stepnet") & (tasks.status == "ok")]
    if tasks.empty:
        raise BadInput(f"{results}: no finished train_stepnet tasks")
    accuracy = riskstep.aggregate(results, by=["attention", "task_id"])["train_stepnet"] \
        .set_index("task_id")["final_test_accuracy_mean"]
    runs = []
    for _, task in tasks.iterrows():
        nsi = reader.load_task_table(results, task.task_id, "nsi")
        runs.append({"id": task.task_id, "attention": str(task.get("attention", "")),
                     "accuracy": float(accuracy[task.task_id]),
                     **{column: nsi[column].to_numpy() for column in
                        ("stage", "block", "mean", "min", "max")}})
    if not any(len(r["stage"]) for r in runs):
        raise BadInput(f"{results}: the train_stepnet tasks have no NSI rows (NSI needs two "
                       "blocks in a stage)")
    return runs


def grouped(runs, attentions):
    """[(attention, its runs)] in riskstep's order of the attention choices."""
    return [(a, [r for r in runs if r["attention"] == a])
            for a in attentions.ordered(r["attention"] for r in runs)]


def stage_nsi(run, stage):
    """A run's NSI of one stage: the mean over its blocks of the per-block means."""
    return float(np.mean(run["mean"][run["stage"] == stage]))


def welch_p(a, b):
    """Two-sided Welch t-test p-value of mean(a) != mean(b); NaN with fewer than 2 runs a side."""
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    from scipy import stats
    return float(stats.ttest_ind(a, b, equal_var=False).pvalue)


def read_claims(path):
    """The claims file: claim, higher, lower (attention values), measure (accuracy: final test
    accuracy, in %; stage_nsi: one claim per stage, the stage's NSI)."""
    try:
        claims = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    except OSError as error:
        raise BadInput(f"{path}: {error.strerror}") from None
    missing = {"claim", "higher", "lower", "measure"} - set(claims.columns)
    if missing:
        raise BadInput(f"{path}: no column {', '.join(sorted(missing))}")
    unknown = set(claims.measure) - {"accuracy", "stage_nsi"}
    if unknown:
        raise BadInput(f"{path}: measure {', '.join(sorted(unknown))}: expected accuracy or "
                       "stage_nsi")
    return claims


def claims_table(runs, attentions, claims):
    """The claims against these runs, as Markdown. "holds" needs the difference in the claimed
    direction and a Welch p below 0.05; with a few seeds per variant only large effects pass."""
    by = dict(grouped(runs, attentions))
    lines = ["| claim | measured (mean over seeds) | Welch p | holds here |", "|---|---|---|---|"]

    def row(claim, higher, lower, value, unit, scale=1.0):
        a = [value(r) for r in by.get(higher, [])]
        b = [value(r) for r in by.get(lower, [])]
        if not a or not b:
            lines.append(f"| {claim} | missing runs | | |")
            return
        difference = statistics.mean(a) - statistics.mean(b)
        p = welch_p(a, b)
        verdict = "yes" if difference > 0 and p < 0.05 else (
            "direction only" if difference > 0 else "no")
        lines.append(f"| {claim} | {scale * statistics.mean(a):.3f} vs "
                     f"{scale * statistics.mean(b):.3f}{unit} (difference "
                     f"{scale * difference:+.3f}{unit}) | {p:.3f} | {verdict} |")

    stages = sorted({int(s) for r in runs for s in r["stage"]})
    for claim in claims.itertuples():
        if claim.measure == "accuracy":
            row(claim.claim, claim.higher, claim.lower, lambda r: r["accuracy"], " %", 100)
        else:
            for stage in stages:
                row(f"{claim.claim}, stage {stage}", claim.higher, claim.lower,
                    lambda r, s=stage: stage_nsi(r, s), "")
    return "\n".join(lines)


def figure(runs, attentions, out):
    stages = sorted({int(s) for r in runs for s in r["stage"]})
    fig, axes = plt.subplots(1, len(stages), figsize=(4.2 * len(stages), 3.4), squeeze=False)
    for axis, stage in zip(axes[0], stages):
        for variant, members in grouped(runs, attentions):
            masks = [r["stage"] == stage for r in members]
            blocks = members[0]["block"][masks[0]]
            mean = np.mean([r["mean"][m] for r, m in zip(members, masks)], axis=0)
            low = np.min([r["min"][m] for r, m in zip(members, masks)], axis=0)
            high = np.max([r["max"][m] for r, m in zip(members, masks)], axis=0)
            colour = f"C{attentions.slot(variant) % 10}"
            axis.plot(blocks, mean, marker="o", color=colour, label=attentions.label(variant))
            axis.fill_between(blocks, low, high, color=colour, alpha=0.15)
        axis.set_title(f"Stage {stage}")
        axis.set_xlabel("block t")
        axis.set_xticks(blocks)
    axes[0][0].set_ylabel("NSI  ||D_t - D_{t-1}|| / ||x_t - x_{t-1}||")
    axes[0][0].legend()
    fig.tight_layout()
    fig.savefig(out, dpi=130)
    plt.close(fig)


def attention_choices(riskstep):
    return Choices(riskstep.choices("train_stepnet", "attention"))


def report(args):
    riskstep = Riskstep(args.riskstep)
    attentions = attention_choices(riskstep)
    runs = read_runs(args.results, riskstep)
    markdown = (riskstep.aggregate_markdown(reader.results_path(args.results)).strip() + "\n\n" +
                claims_table(runs, attentions, read_claims(args.claims)))
    print(markdown)
    if args.table:
        with open(args.table, "w") as handle:
            handle.write(markdown + "\n")
    figure(runs, attentions, args.figure)
    print(f"wrote {args.figure}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="plot_nsi.py", description=__doc__.splitlines()[0],
                                     epilog="\n".join(__doc__.splitlines()[1:]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a results file or a sweep directory")
    parser.add_argument("figure", nargs="?", default="nsi.png", help="the PNG (default nsi.png)")
    parser.add_argument("--table", help="also write the Markdown (table and claims) here")
    parser.add_argument("--claims", default=CLAIMS, help="the claims CSV (default: the paper's)")
    parser.add_argument("--riskstep", help="the riskstep binary (default: riskstep on PATH)")
    args = parser.parse_args(argv)
    return run(parser.prog, lambda: report(args))


if __name__ == "__main__":
    raise SystemExit(main())
