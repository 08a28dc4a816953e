#!/usr/bin/python3
"""Figures of a VaR backtest run (study var_herrig2023) from its results.h5.

Per index and period, written next to the results file (or into --out):
  <index>_<period>_var.png      daily losses with each model's VaR (MDNs: the seed with the median
                                hit count) and each model's hits marked on the loss series
  <index>_<period>_mixture.png  predicted mixture mu, sigma, pi over the test window, per MDN model
  <index>_<period>_hits.png     hits per model across seeds (box + strip), with the expected count
A custom period "A:B" gives "A_to_B" in file names (no ':'); other characters outside
[A-Za-z0-9._-] become '-'.

The VaR chart's y-axis is robust: when the largest value (loss or VaR) exceeds twice the 99%
quantile of |loss| and VaR, the axis is cut at 1.6 times that quantile and every point beyond it is
marked at the edge (triangles; the largest losses labelled with their value, a note names the cut).

Reads /tasks/<id>/ groups (attrs kind, parameters = JSON with index, period, model, seed; datasets
dates, loss, var_<level>, hit_<level>, mixture/{mu,sigma,pi}) and is tolerant: tasks lacking a
dataset are skipped for the figures that need it. Use Debian's /usr/bin/python3 (h5py, pandas,
matplotlib). Other scripts (report.py) call make_figures().
Usage: plot_var.py RESULTS.h5 [--level 0.01] [--out DIR]
"""
import argparse
import collections
import json
import os
import re
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import matplotlib.transforms as mtransforms  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

# Readable names for titles (file names keep the names the results use).
INDEX_NAMES = {
    "gspc": "S&P 500", "sp500": "S&P 500",
    "ftse": "FTSE 100", "ftse100": "FTSE 100",
    "stoxx50e": "EURO STOXX 50", "eurostoxx50": "EURO STOXX 50",
}
PERIOD_NAMES = {"calm": "2017-2018 (calm)", "covid": "2021-2022 (post-COVID)"}
MODEL_NAMES = {
    "hs": "HS", "cmm": "CMM", "garch": "GARCH(1,1)",
    "mdn2": "MDN K=2", "mdn2reg": "MDN K=2 reg.", "mdn3": "MDN K=3",
}
MODEL_ORDER = ["hs", "cmm", "garch", "mdn2", "mdn2reg", "mdn3"]
# Okabe-Ito (colour-blind safe), then a few more distinct colours for other models.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#882255", "#44AA99", "#999933"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]
LOSS_COLOUR = "0.55"
STACK_POINTS = 7.5  # vertical spacing, in points, of hit markers of several models on one day


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def index_label(index):
    """gspc -> S&P 500, ftse -> FTSE 100, stoxx50e -> EURO STOXX 50; others as given."""
    return INDEX_NAMES.get(str(index).lower(), str(index))


def period_label(period):
    """calm -> 2017-2018 (calm), covid -> 2021-2022 (post-COVID), A:B -> A to B."""
    period = str(period)
    if period in PERIOD_NAMES:
        return PERIOD_NAMES[period]
    if ":" in period:
        first, last = period.split(":", 1)
        return f"{first} to {last}"
    return period


def model_label(model):
    return MODEL_NAMES.get(str(model), str(model))


def file_part(name):
    """A piece of a file name: 'A:B' -> 'A_to_B', anything outside [A-Za-z0-9._-] -> '-'."""
    name = str(name).replace(":", "_to_")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return name or "unnamed"


def file_stem(index, period):
    return f"{file_part(index)}_{file_part(period)}"


def level_key(level):
    return f"{float(level):g}"


def confidence(level):
    return f"{100 * (1 - float(level)):g}%"


def plural(count, word):
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def percent(value, _position=None):
    """Axis label of a fraction: 0.08 -> 8%, 0.025 -> 2.5%."""
    return f"{100 * value:.10g}%".replace("-", "\u2212")


def model_sort_key(model):
    return (MODEL_ORDER.index(model) if model in MODEL_ORDER else len(MODEL_ORDER), model)


def model_styles(models):
    """Colour and marker per model, fixed for the known models so figures agree with each other."""
    styles = {}
    extra = 0
    for model in sorted(models, key=model_sort_key):
        if model in MODEL_ORDER:
            slot = MODEL_ORDER.index(model)
        else:
            slot = len(MODEL_ORDER) + extra
            extra += 1
        styles[model] = (PALETTE[slot % len(PALETTE)], MARKERS[slot % len(MARKERS)])
    return styles


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
            if t["var"] is not None:
                t["var"] = np.asarray(t["var"], dtype=float)
            if t["hit"] is None and t["var"] is not None:
                t["hit"] = t["loss"] >= t["var"]
            if t["hit"] is not None:
                t["hit"] = np.asarray(t["hit"]).astype(bool)
            tasks.append(t)
    return tasks


def representative(tasks):
    """The task with the median hit count (the seed a single-run study would show)."""
    with_hits = [t for t in tasks if t["hit"] is not None]
    if not with_hits:
        return tasks[0]
    with_hits.sort(key=lambda t: (int(np.sum(t["hit"])), str(t["seed"])))
    return with_hits[len(with_hits) // 2]


def robust_limits(loss, var_series):
    """(y0, y1, clipped_bottom, clipped_top): the axis range, and whether it cuts values off.
    Values beyond twice the 99% quantile of |loss| and |VaR| are spikes: when there are any and
    showing them would make the axis more than 1.3 times taller, the axis ends just beyond the
    largest (smallest) value that is not a spike, so one crash day cannot flatten the rest;
    otherwise it shows everything."""
    series = [loss] + list(var_series)
    finite = [np.asarray(v, dtype=float)[np.isfinite(v)] for v in series]
    values = np.concatenate(finite) if finite else np.array([0.0])
    if values.size == 0:
        values = np.array([0.0])
    limit = 2 * float(np.quantile(np.abs(values), 0.99))
    high, low = float(values.max()), float(values.min())
    clipped_top = limit > 0 and high > limit
    clipped_bottom = limit > 0 and low < -limit
    top = float(values[values <= limit].max()) * 1.05 if clipped_top else high
    bottom = float(values[values >= -limit].min()) * 1.05 if clipped_bottom else low
    if (high - low) <= 1.3 * (top - bottom):  # cutting would gain little: show everything
        top, bottom, clipped_top, clipped_bottom = high, low, False, False
    span = max(top - bottom, 1e-12)
    # Room above for stacked hit markers and below for the edge marks.
    return bottom - 0.04 * span, top + 0.10 * span, clipped_bottom, clipped_top


def plot_var(out, index, period, by_model, level):
    styles = model_styles(by_model)
    first = next(iter(by_model.values()))[0]
    dates, loss = first["dates"], first["loss"]
    shown = []  # (model, task, n_seeds)
    for model in sorted(by_model, key=model_sort_key):
        t = representative(by_model[model])
        if t["var"] is not None:
            shown.append((model, t, len(by_model[model])))
    if not shown:
        return None

    fig, ax = plt.subplots(figsize=(11, 5.6))
    ax.plot(dates, loss, color=LOSS_COLOUR, lw=0.7, label="daily loss", zorder=1)
    ax.axhline(0, color="0.8", lw=0.6, zorder=0)

    y0, y1, clipped_bottom, clipped_top = robust_limits(
        loss, [t["var"] for _, t, _ in shown])
    ax.set_ylim(y0, y1)

    # Hits: markers on the loss series; several models hitting on one day are stacked upward
    # (downward at a clipped top edge) so every model's marker stays visible.
    stack = collections.Counter()
    hit_handles = {}
    for model, t, n_seeds in shown:
        colour, marker = styles[model]
        hits = int(np.sum(t["hit"])) if t["hit"] is not None else 0
        if n_seeds > 1:
            label = (f"{model_label(model)} (seed {t['seed']}, median of {n_seeds}): "
                     f"{plural(hits, 'hit')}")
        else:
            label = f"{model_label(model)}: {plural(hits, 'hit')}"
        ax.plot(t["dates"], t["var"], color=colour, lw=1.1, alpha=0.9, zorder=2)
        if t["hit"] is None or not hits:
            hit_handles[model] = (label, colour, marker)
            continue
        days = np.flatnonzero(t["hit"])
        groups = collections.defaultdict(list)
        for day in days:
            y = loss[day] if np.isfinite(loss[day]) else t["var"][day]
            at_edge = clipped_top and y > y1
            k = stack[day]
            stack[day] += 1
            offset = (-(k + 1.4) if at_edge else k) * STACK_POINTS
            groups[offset].append((t["dates"][day], y1 if at_edge else y))
        for offset, points in groups.items():
            shift = mtransforms.offset_copy(ax.transData, fig=fig, x=0, y=offset, units="points")
            xs, ys = zip(*points)
            ax.scatter(xs, ys, marker=marker, s=34, facecolor=colour, edgecolor="white",
                       linewidth=0.6, transform=shift, zorder=4, clip_on=False)
        hit_handles[model] = (label, colour, marker)

    # Points beyond a cut axis: triangles on the edge (losses dark and large, VaR in the model's
    # colour), and a note naming the cut and what lies beyond it.
    notes = []
    for sign, clipped, edge in ((1, clipped_top, y1), (-1, clipped_bottom, y0)):
        if not clipped:
            continue
        symbol = "\u25b2" if sign > 0 else "\u25bc"
        beyond_parts = []
        beyond = np.flatnonzero(np.isfinite(loss) & (sign * loss > sign * edge))
        if beyond.size:
            ax.scatter(dates[beyond], np.full(beyond.size, edge), marker="^" if sign > 0 else "v",
                       s=50, color="0.2", zorder=5, clip_on=False)
            largest = sorted(beyond, key=lambda d: -abs(loss[d]))
            beyond_parts += [f"loss {dates[d]:%Y-%m-%d} {percent(loss[d])}" for d in largest[:3]]
            if len(largest) > 3:
                beyond_parts.append(f"{len(largest) - 3} more loss day(s)")
        for model, t, _ in shown:
            colour, _ = styles[model]
            v = t["var"]
            over = np.flatnonzero(np.isfinite(v) & (sign * v > sign * edge))
            if over.size:
                ax.scatter(t["dates"][over], np.full(over.size, edge),
                           marker="^" if sign > 0 else "v", s=16, color=colour, zorder=5,
                           clip_on=False)
                extreme = v[over].max() if sign > 0 else v[over].min()
                beyond_parts.append(f"{model_label(model)} VaR up to {percent(round(extreme, 4))}")
        notes.append(f"{symbol} axis cut at {percent(round(edge, 4))}; beyond: "
                     + "; ".join(beyond_parts))

    pad = (dates.max() - dates.min()) * 0.01
    ax.set_xlim(dates.min() - pad, dates.max() + pad)
    locator = mdates.AutoDateLocator(minticks=5, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(percent))
    ax.set_ylabel("daily loss / VaR")
    ax.grid(axis="y", color="0.9", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"{index_label(index)}, {period_label(period)}: daily loss and "
                 f"{confidence(level)} VaR", fontsize=13)

    handles = [Line2D([], [], color=LOSS_COLOUR, lw=1.0, label="daily loss")]
    for model, _, _ in shown:
        label, colour, marker = hit_handles[model]
        handles.append(Line2D([], [], color=colour, lw=1.4, marker=marker,
                                               markersize=6, markeredgecolor="white",
                                               label=label))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=3,
              fontsize=8.5, frameon=False, title="\n".join(["line: the model's VaR; marker: its hits (loss \u2265 VaR) on the loss, "
                                "stacked when several models hit on one day"] + notes), title_fontsize=8.5)
    fig.tight_layout()
    path = os.path.join(out, f"{file_stem(index, period)}_var.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_mixture(out, index, period, by_model):
    mdns = {}
    for model in sorted(by_model, key=model_sort_key):
        ts = by_model[model]
        complete = [t for t in ts if len(t["mixture"]) == 3]
        if not complete:
            continue
        t = representative(ts)
        mdns[model] = t if len(t["mixture"]) == 3 else complete[0]
    if not mdns:
        return None
    fig, axes = plt.subplots(3, len(mdns), figsize=(4.6 * len(mdns) + 0.6, 7.5), sharex=True,
                             squeeze=False)
    symbols = {"mu": "\u03bc (mean)", "sigma": "\u03c3 (sd)", "pi": "\u03c0 (weight)"}
    for col, (model, t) in enumerate(mdns.items()):
        for row, name in enumerate(("mu", "sigma", "pi")):
            values = np.atleast_2d(t["mixture"][name])
            if values.shape[0] != len(t["dates"]):
                values = values.T
            ax = axes[row][col]
            for k in range(values.shape[1]):
                ax.plot(t["dates"], values[:, k], lw=0.9, color=PALETTE[k % len(PALETTE)],
                        label=f"component {k + 1}")
            if col == 0:
                ax.set_ylabel(symbols[name])
            if row == 0:
                seeds = len(by_model[model])
                extra = f", median of {seeds} seeds" if seeds > 1 else ""
                ax.set_title(f"{model_label(model)} (seed {t['seed']}{extra})", fontsize=10)
            if row == 2:
                ax.set_ylim(-0.02, 1.02)
                locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
                ax.xaxis.set_major_locator(locator)
                ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            ax.grid(color="0.92", lw=0.6)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
    def components(t):
        shape = np.atleast_2d(t["mixture"]["pi"]).shape
        return shape[1] if shape[0] == len(t["dates"]) else shape[0]

    widest = max(range(len(mdns)), key=lambda c: components(list(mdns.values())[c]))
    axes[2][widest].legend(fontsize=8, frameon=False)
    fig.suptitle(f"{index_label(index)}, {period_label(period)}: predicted mixture parameters "
                 "(returns)", fontsize=13)
    fig.tight_layout()
    path = os.path.join(out, f"{file_stem(index, period)}_mixture.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_hits(out, index, period, by_model, level):
    models = sorted((m for m, ts in by_model.items() if any(t["hit"] is not None for t in ts)),
                    key=model_sort_key)
    if not models:
        return None
    styles = model_styles(by_model)
    counts = [[int(np.sum(t["hit"])) for t in by_model[m] if t["hit"] is not None] for m in models]
    days = len(next(iter(by_model.values()))[0]["loss"])
    fig, ax = plt.subplots(figsize=(1.0 * len(models) + 2.6, 4.2))
    ax.boxplot(counts, labels=[model_label(m) for m in models], showfliers=False,
               medianprops=dict(color="0.2"))
    rng = np.random.default_rng(0)
    for i, (model, c) in enumerate(zip(models, counts), start=1):
        colour, marker = styles[model]
        ax.scatter(i + rng.uniform(-0.12, 0.12, len(c)), c, s=30, alpha=0.85, zorder=3,
                   color=colour, marker=marker, edgecolor="white", linewidth=0.5)
    expected = level * days
    ax.axhline(expected, color="k", ls="--", lw=0.8,
               label=f"expected {expected:.1f} ({level:g} \u00d7 {days} days)")
    ax.set_ylabel("hits")
    ax.yaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    ax.grid(axis="y", color="0.92", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"{index_label(index)}, {period_label(period)}:\nhits at {confidence(level)} VaR "
                 "across seeds", fontsize=12)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    path = os.path.join(out, f"{file_stem(index, period)}_hits.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def group_tasks(tasks):
    groups = collections.defaultdict(lambda: collections.defaultdict(list))
    for t in tasks:
        groups[(t["index"], t["period"])][t["model"]].append(t)
    return groups


def make_figures(results, level=0.01, out=None, log=None):
    """Writes every figure of a results file; returns a list of dicts (index, period, figure =
    'var' | 'hits' | 'mixture', path, title), grouped by index and period. Raises ValueError when
    the file holds no backtest task with dates and loss."""
    out = out or os.path.dirname(os.path.abspath(results))
    os.makedirs(out, exist_ok=True)
    tasks = load_tasks(results, level)
    if not tasks:
        raise ValueError(f"{results}: no backtest tasks with dates and loss")
    written = []
    for (index, period), by_model in sorted(group_tasks(tasks).items()):
        name = f"{index_label(index)}, {period_label(period)}"
        for figure, path in (("var", plot_var(out, index, period, by_model, level)),
                             ("hits", plot_hits(out, index, period, by_model, level)),
                             ("mixture", plot_mixture(out, index, period, by_model))):
            if path:
                written.append({"index": index, "period": period, "figure": figure,
                                "path": path, "title": name})
        if log:
            log(f"{index} {period}: {', '.join(sorted(by_model, key=model_sort_key))} -> {out}")
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results.h5 of a riskstep run")
    parser.add_argument("--level", type=float, default=0.01, help="VaR tail probability (default 0.01)")
    parser.add_argument("--out", help="directory for the PNGs (default: next to the results file)")
    args = parser.parse_args()
    try:
        make_figures(args.results, args.level, args.out, log=print)
    except ValueError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
