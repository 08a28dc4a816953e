#!/usr/bin/python3
"""The crisis study's tables (results/CRISIS.md) from a crisis sweep's results.h5.

Table 1: per model (GARCH by innovation distribution, networks by training protocol) and level,
pooled over every index x period: hits against expected hits, and the share of tasks that pass each
test at 5% (Kupiec, Christoffersen conditional coverage, Christoffersen-Pelletier durations,
Acerbi-Szekely Z2, McNeil-Frey). Table 2: hits at one level per index x period (networks: mean and
range over seeds). Table 3: training time per network and protocol.
Usage: /usr/bin/python3 results/crisis_report.py out/crisis/results.h5 [--level 0.01]
"""
import pandas as pd

from var_report import summary_from_arguments

SHORT_PROTOCOL = {"once, all history": "once"}


def model_label(row):
    if row.model == "garch":
        return f"garch-{row.garch_dist}"
    if row.model.startswith("mdn"):
        protocol = SHORT_PROTOCOL.get(row.protocol, "refit")
        return f"{row.model} {protocol}"
    return row.model


def markdown(frame):
    cells = [[str(v) for v in frame.columns]] + [[str(v) for v in row] for row in frame.values]
    lines = ["| " + " | ".join(row) + " |" for row in cells]
    lines.insert(1, "|" + "---|" * len(frame.columns))
    return "\n".join(lines)


def pooled_table(summary):
    rows = []
    for (label, level), g in summary.groupby(["label", "level"], sort=False):
        expected = (g.level * g.days).sum()
        rows.append({"model": label, "level": level, "tasks": len(g),
                     "hits / expected": f"{g.hits.sum() / expected:.2f}",
                     "Kupiec": f"{g.pass_uc.mean():.0%}", "cond. coverage": f"{g.pass_cc.mean():.0%}",
                     "durations": f"{(g.p_duration > 0.05).mean():.0%}",
                     "ES Z2": f"{g.pass_z2.mean():.0%}", "ES McNeil-Frey": f"{g.pass_mf.mean():.0%}"})
    return pd.DataFrame(rows)


def hits_table(summary, level):
    at = summary[summary.level == level]
    labels = list(dict.fromkeys(at.label))
    rows = []
    for (index, period), g in at.groupby(["index", "period"], sort=False):
        row = {"index": index, "period": period, "days": int(g.days.iloc[0]),
               "expected": f"{level * g.days.iloc[0]:.1f}"}
        for label in labels:
            h = g[g.label == label].hits
            if h.empty:
                row[label] = "-"
            elif len(h) == 1:
                row[label] = str(int(h.iloc[0]))
            else:
                row[label] = f"{h.mean():.1f} ({int(h.min())}-{int(h.max())})"
        rows.append(row)
    return pd.DataFrame(rows)


def training_table(summary):
    networks = summary[summary.model.str.startswith("mdn") & (summary.level == summary.level.min())]
    g = networks.groupby("label", sort=False)
    return pd.DataFrame({"networks": g.size(), "train seconds (mean)": g.train_seconds.mean().round(2),
                         "epochs trained (mean)": g.epochs_trained.mean().round(0),
                         "collapsed": g.collapsed.sum()}).reset_index()


def labelled(summary):
    """Tasks that ran, each labelled by model (GARCH with its distribution, networks with their
    protocol) and sorted by label and level."""
    summary = summary[summary.status == "ok"].copy()
    summary["label"] = summary.apply(model_label, axis=1)
    order = ["hs", "cmm", "garch-ged", "garch-student_t"]
    order += [f"{m} {p}" for m in ("mdn2", "mdn2reg", "mdn3") for p in ("once", "refit")]
    summary["label"] = pd.Categorical(summary.label, [o for o in order if o in set(summary.label)])
    summary = summary.sort_values(["label", "level"])
    summary["label"] = summary.label.astype(str)
    return summary


def main():
    summary, level = summary_from_arguments(__doc__)
    summary = labelled(summary)
    print(markdown(pooled_table(summary)))
    print()
    print(markdown(hits_table(summary, level)))
    print()
    print(markdown(training_table(summary)))


if __name__ == "__main__":
    main()
