#!/usr/bin/python3
"""Figures of a VaR backtest run (study var_herrig2023) from its results.h5.

Per index and period, written next to the results file:
  <index>_<period>_var.png      losses with each model's VaR (MDNs: the seed with median hits) and hits
  <index>_<period>_mixture.png  predicted mixture mu, sigma, pi over the test window, per MDN model
  <index>_<period>_hits.png     hits per model across seeds (box + strip), with the expected count

Reads /tasks/<id>/ groups (attrs kind, parameters = JSON with index, period, model, seed; datasets
dates, loss, var_<level>, hit_<level>, mixture/{mu,sigma,pi}) and is tolerant: tasks lacking a
dataset are skipped for the figures that need it. Use Debian's /usr/bin/python3 (h5py, pandas,
matplotlib).  Usage: plot_var.py RESULTS.h5 [--level 0.01] [--out DIR]
"""
import argparse
import collections
import json
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def level_key(level):
    return f"{float(level):g}"


def find_dataset(group, prefix, level):
    """var_0.01 / hit_0.01, tolerating other spellings of the level (0.010, 1e-02)."""
    for name in group:
        if name.startswith(prefix + "_"):
            try:
                if abs(float(name[len(prefix) + 1:]) - level) < 1e-12:
                    return group[name][()]
            except ValueError:
                continue
    return None


def load_tasks(path, level):
    tasks = []
    with h5py.File(path, "r") as f:
        root = f.get("tasks")
        if root is None:
            sys.exit(f"{path}: no /tasks group; expected a riskstep results file")
        for task_id, g in root.items():
            if not isinstance(g, h5py.Group):
                continue
            try:
                params = json.loads(text(g.attrs.get("parameters", "{}")))
                params = params.get("params", params)  # canonical JSON: {"kind", "params"}
            except json.JSONDecodeError:
                continue
            if "loss" not in g or "dates" not in g:
                continue
            t = {
                "id": task_id,
                "index": str(params.get("index", "?")),
                "period": str(params.get("period", "?")),
                "model": str(params.get("model", params.get("architecture", "?"))),
                "seed": params.get("seed"),
                "dates": pd.to_datetime([text(d) for d in g["dates"][()]]),
                "loss": np.asarray(g["loss"][()], dtype=float),
                "var": find_dataset(g, "var", level),
                "hit": find_dataset(g, "hit", level),
                "mixture": {k: np.asarray(g["mixture"][k][()], dtype=float)
                            for k in ("mu", "sigma", "pi") if "mixture" in g and k in g["mixture"]},
            }
            if t["hit"] is None and t["var"] is not None:
                t["hit"] = t["loss"] >= t["var"]
            tasks.append(t)
    return tasks


def representative(tasks):
    """The task with the median hit count (the seed a single-run study would show)."""
    with_hits = [t for t in tasks if t["hit"] is not None]
    if not with_hits:
        return tasks[0]
    with_hits.sort(key=lambda t: (int(np.sum(t["hit"])), str(t["seed"])))
    return with_hits[len(with_hits) // 2]


def plot_var(out, index, period, by_model, level):
    fig, ax = plt.subplots(figsize=(12, 5))
    first = next(iter(by_model.values()))[0]
    ax.plot(first["dates"], first["loss"], color="0.6", lw=0.8, label="loss")
    markers = "ov^sDP*X"
    for i, (model, tasks) in enumerate(sorted(by_model.items())):
        t = representative(tasks)
        if t["var"] is None:
            continue
        hits = int(np.sum(t["hit"])) if t["hit"] is not None else 0
        seed = "" if t["seed"] is None or len(tasks) == 1 else f", seed {t['seed']}"
        line, = ax.plot(t["dates"], t["var"], lw=1.0, label=f"{model}{seed}: {hits} hits")
        if t["hit"] is not None and hits:
            mask = np.asarray(t["hit"], dtype=bool)
            ax.scatter(t["dates"][mask], t["loss"][mask], marker=markers[i % len(markers)],
                       color=line.get_color(), s=30, zorder=3)
    ax.set_title(f"{index} {period}: loss and {100 * (1 - level):g}% VaR")
    ax.set_ylabel("loss (fraction)")
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{index}_{period}_var.png"), dpi=120)
    plt.close(fig)


def plot_mixture(out, index, period, by_model):
    mdns = {m: representative(ts) for m, ts in sorted(by_model.items())
            if any(len(t["mixture"]) == 3 for t in ts)}
    mdns = {m: t if len(t["mixture"]) == 3 else next(x for x in by_model[m] if len(x["mixture"]) == 3)
            for m, t in mdns.items()}
    if not mdns:
        return
    fig, axes = plt.subplots(3, len(mdns), figsize=(5 * len(mdns), 8), sharex=True, squeeze=False)
    for col, (model, t) in enumerate(mdns.items()):
        for row, name in enumerate(("mu", "sigma", "pi")):
            values = np.atleast_2d(t["mixture"][name])
            if values.shape[0] != len(t["dates"]):
                values = values.T
            ax = axes[row][col]
            for k in range(values.shape[1]):
                ax.plot(t["dates"], values[:, k], lw=0.9, label=f"k={k + 1}")
            ax.set_ylabel(name)
            if row == 0:
                ax.set_title(f"{model} (seed {t['seed']})")
            if row == 2:
                ax.set_ylim(-0.02, 1.02)
                ax.legend(fontsize=8)
    fig.suptitle(f"{index} {period}: predicted mixture parameters")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{index}_{period}_mixture.png"), dpi=120)
    plt.close(fig)


def plot_hits(out, index, period, by_model, level):
    models = sorted(m for m, ts in by_model.items() if any(t["hit"] is not None for t in ts))
    if not models:
        return
    counts = [[int(np.sum(t["hit"])) for t in by_model[m] if t["hit"] is not None] for m in models]
    days = len(next(iter(by_model.values()))[0]["loss"])
    fig, ax = plt.subplots(figsize=(1.4 * len(models) + 3, 4.5))
    ax.boxplot(counts, labels=models, showfliers=False)
    rng = np.random.default_rng(0)
    for i, c in enumerate(counts, start=1):
        ax.scatter(i + rng.uniform(-0.12, 0.12, len(c)), c, s=18, alpha=0.7, zorder=3)
    ax.axhline(level * days, color="k", ls="--", lw=0.8, label=f"expected {level * days:.1f}")
    ax.set_ylabel("hits")
    ax.set_title(f"{index} {period}: hits at {100 * (1 - level):g}% VaR across seeds")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{index}_{period}_hits.png"), dpi=120)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results.h5 of a riskstep run")
    parser.add_argument("--level", type=float, default=0.01, help="VaR tail probability (default 0.01)")
    parser.add_argument("--out", help="directory for the PNGs (default: next to the results file)")
    args = parser.parse_args()
    out = args.out or os.path.dirname(os.path.abspath(args.results))
    os.makedirs(out, exist_ok=True)
    tasks = load_tasks(args.results, args.level)
    if not tasks:
        sys.exit(f"{args.results}: no backtest tasks with dates and loss")
    groups = collections.defaultdict(lambda: collections.defaultdict(list))
    for t in tasks:
        groups[(t["index"], t["period"])][t["model"]].append(t)
    for (index, period), by_model in sorted(groups.items()):
        plot_var(out, index, period, by_model, args.level)
        plot_mixture(out, index, period, by_model)
        plot_hits(out, index, period, by_model, args.level)
        print(f"{index} {period}: {', '.join(sorted(by_model))} -> {out}")


if __name__ == "__main__":
    main()
