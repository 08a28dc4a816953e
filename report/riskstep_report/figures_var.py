"""Figures of VaR backtests (riskstep backtest_var tasks) from a results file or sweep directory.

Per index and period, written into --out (default: beside the results file; for a sweep
directory DIR, into DIR_figures beside it, since a sweep directory holds only what riskstep
writes):
  <index>_<period>_var.png      daily losses with each model's VaR (several seeds: the seed with
                                the median hit count) and each model's hits marked on the losses
  <index>_<period>_mixture.png  predicted mixture mu, sigma, pi over the test window, per network
  <index>_<period>_hits.png     hits per model across seeds (box + strip), with the expected count
A custom period "A:B" gives "A_to_B" in file names (no ':'); other characters outside
[A-Za-z0-9._-] become '-'. Titles name the index as the results do and the period with its test
window's first and last day; models are ordered and labelled as `riskstep describe backtest_var`
declares them (the `model` setting's choices), which also fixes each model's colour and marker.

The VaR chart's y-axis is robust: when the largest value (loss or VaR) exceeds twice the 99%
quantile of |loss| and VaR, the axis is cut just beyond the largest value that is not such a spike
and every point beyond it is marked at the edge (triangles; the largest losses labelled with their
value, a note names the cut).

Reads each task's daily series through riskstep_report.reader (dates, loss, var_<level>,
hit_<level>, mixture/{mu,sigma,pi}); a task lacking a series is left out of the figures that need
it. Other commands (html_report) call make_figures().
Usage: plot_var.py RESULTS [--level 0.01] [--out DIR] [--riskstep PATH]
"""
import argparse
import collections
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import matplotlib.transforms as mtransforms  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
import numpy as np  # noqa: E402

from riskstep_report import reader  # noqa: E402
from riskstep_report.entry import run  # noqa: E402
from riskstep_report.errors import BadInput  # noqa: E402
from riskstep_report.labels import (Choices, confidence, file_stem, period_text,  # noqa: E402
                                    plural)
from riskstep_report.riskstep_cli import Riskstep  # noqa: E402

# Okabe-Ito (colour-blind safe), then a few more distinct colours; a model's slot among the
# file's models, in riskstep's order, picks its colour and marker.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#882255", "#44AA99", "#999933"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]
LOSS_COLOUR = "0.55"
STACK_POINTS = 7.5  # vertical spacing, in points, of hit markers of several models on one day


class Cell:
    """One index x period: its tasks by model, its title and file stem, the models' names."""

    def __init__(self, index, period, by_model, models):
        self.index, self.period, self.by_model, self.models = index, period, by_model, models
        first = next(iter(by_model.values()))[0]
        self.title = f"{index}, {period_text(period, first['dates'][0], first['dates'][-1])}"
        self.stem = file_stem(index, period)

    def styles(self):
        """Colour and marker per model, fixed by its slot so every figure agrees."""
        return {model: (PALETTE[self.models.slot(model) % len(PALETTE)],
                        MARKERS[self.models.slot(model) % len(MARKERS)])
                for model in self.by_model}


def load_tasks(results, level):
    """Every ok backtest_var task with its daily series at `level` (var, hit; hit from loss >=
    VaR when only the VaR is stored) and mixture parameters (day x component)."""
    tasks = []
    listed = reader.load_tasks(results)
    if listed.empty:
        return tasks
    for _, task in listed[(listed.kind == "backtest_var") & (listed.status == "ok")].iterrows():
        series = reader.load_series(results, task.task_id)
        if "loss" not in series:
            continue
        var = reader.level_column(series.columns, "var", level)
        hit = reader.level_column(series.columns, "hit", level)
        t = {"id": task.task_id, "index": str(task.get("index", "?")),
             "period": str(task.get("period", "?")), "model": str(task.get("model", "?")),
             "seed": task.get("seed"), "dates": series.index,
             "loss": series["loss"].to_numpy(dtype=float),
             "var": series[var].to_numpy(dtype=float) if var else None,
             "hit": series[hit].to_numpy().astype(bool) if hit else None, "mixture": {}}
        if t["hit"] is None and t["var"] is not None:
            t["hit"] = t["loss"] >= t["var"]
        for name in ("mu", "sigma", "pi"):
            columns = [c for c in series.columns if c.startswith(f"mixture/{name}/")]
            if columns:
                t["mixture"][name] = series[columns].to_numpy(dtype=float)
        tasks.append(t)
    return tasks


def percent(value, _position=None):
    """Axis label of a fraction: 0.08 -> 8%, 0.025 -> 2.5%."""
    return f"{100 * value:.10g}%".replace("-", "\u2212")


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


def plot_var(out, cell, level):
    by_model = cell.by_model
    styles = cell.styles()
    first = next(iter(by_model.values()))[0]
    dates, loss = first["dates"], first["loss"]
    shown = []  # (model, task, n_seeds)
    for model in cell.models.ordered(by_model):
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
            label = (f"{cell.models.label(model)} (seed {t['seed']}, median of {n_seeds}): "
                     f"{plural(hits, 'hit')}")
        else:
            label = f"{cell.models.label(model)}: {plural(hits, 'hit')}"
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
                beyond_parts.append(f"{cell.models.label(model)} VaR up to "
                                    f"{percent(round(extreme, 4))}")
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
    ax.set_title(f"{cell.title}: daily loss and "
                 f"{confidence(level)} VaR", fontsize=13)

    handles = [Line2D([], [], color=LOSS_COLOUR, lw=1.0, label="daily loss")]
    for model, _, _ in shown:
        label, colour, marker = hit_handles[model]
        handles.append(Line2D([], [], color=colour, lw=1.4, marker=marker,
                                               markersize=6, markeredgecolor="white",
                                               label=label))
    explained = ["line: the model's VaR; marker: its hits (loss \u2265 VaR) on the loss, stacked "
                 "when several models hit on one day"] + notes
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=3,
              fontsize=8.5, frameon=False, title="\n".join(explained), title_fontsize=8.5)
    fig.tight_layout()
    path = os.path.join(out, f"{cell.stem}_var.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_mixture(out, cell):
    by_model = cell.by_model
    networks = {}
    for model in cell.models.ordered(by_model):
        ts = by_model[model]
        complete = [t for t in ts if len(t["mixture"]) == 3]
        if not complete:
            continue
        t = representative(ts)
        networks[model] = t if len(t["mixture"]) == 3 else complete[0]
    if not networks:
        return None
    fig, axes = plt.subplots(3, len(networks), figsize=(4.6 * len(networks) + 0.6, 7.5),
                             sharex=True, squeeze=False)
    symbols = {"mu": "\u03bc (mean)", "sigma": "\u03c3 (sd)", "pi": "\u03c0 (weight)"}
    for col, (model, t) in enumerate(networks.items()):
        for row, name in enumerate(("mu", "sigma", "pi")):
            values = t["mixture"][name]
            ax = axes[row][col]
            for k in range(values.shape[1]):
                ax.plot(t["dates"], values[:, k], lw=0.9, color=PALETTE[k % len(PALETTE)],
                        label=f"component {k + 1}")
            if col == 0:
                ax.set_ylabel(symbols[name])
            if row == 0:
                seeds = len(by_model[model])
                extra = f", median of {seeds} seeds" if seeds > 1 else ""
                ax.set_title(f"{cell.models.label(model)} (seed {t['seed']}{extra})", fontsize=10)
            if row == 2:
                ax.set_ylim(-0.02, 1.02)
                locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
                ax.xaxis.set_major_locator(locator)
                ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            ax.grid(color="0.92", lw=0.6)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
    widest = max(range(len(networks)),
                 key=lambda c: list(networks.values())[c]["mixture"]["pi"].shape[1])
    axes[2][widest].legend(fontsize=8, frameon=False)
    fig.suptitle(f"{cell.title}: predicted mixture parameters "
                 "(returns)", fontsize=13)
    fig.tight_layout()
    path = os.path.join(out, f"{cell.stem}_mixture.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_hits(out, cell, level):
    by_model = cell.by_model
    models = cell.models.ordered(m for m, ts in by_model.items()
                                 if any(t["hit"] is not None for t in ts))
    if not models:
        return None
    styles = cell.styles()
    counts = [[int(np.sum(t["hit"])) for t in by_model[m] if t["hit"] is not None] for m in models]
    days = len(next(iter(by_model.values()))[0]["loss"])
    fig, ax = plt.subplots(figsize=(1.0 * len(models) + 2.6, 4.2))
    ax.boxplot(counts, labels=[cell.models.label(m) for m in models], showfliers=False,
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
    ax.set_title(f"{cell.title}:\nhits at {confidence(level)} VaR "
                 "across seeds", fontsize=12)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    path = os.path.join(out, f"{cell.stem}_hits.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def cells(tasks, models):
    groups = collections.defaultdict(lambda: collections.defaultdict(list))
    for t in tasks:
        groups[(t["index"], t["period"])][t["model"]].append(t)
    return [Cell(index, period, by_model, models)
            for (index, period), by_model in sorted(groups.items())]


def default_out(results):
    """Beside the results file; for a sweep's DIR/results.h5, DIR_figures beside DIR: a sweep
    directory holds only what riskstep writes (docs/hdf5-layout.md), or it can not resume."""
    folder = os.path.dirname(os.path.abspath(results))
    if os.path.basename(results) == "results.h5" and os.path.exists(
            os.path.join(folder, "sweep.json")):
        return folder + "_figures"
    return folder


def make_figures(results, level, out, models, log=None):
    """Writes every figure of a results file into `out` (default: default_out); `models` is the
    Choices of backtest_var's `model` setting. Returns a list of dicts (index, period, title,
    figure = 'var' | 'hits' | 'mixture', path), grouped by index and period. Raises BadInput when
    the file holds no backtest task with dates and loss."""
    results = reader.results_path(results)
    out = out or default_out(results)
    os.makedirs(out, exist_ok=True)
    tasks = load_tasks(results, level)
    if not tasks:
        raise BadInput(f"{results}: no backtest tasks with dates and loss")
    written = []
    # Colours by slot among the models this file holds, the same in every figure of it.
    for cell in cells(tasks, models.among(t["model"] for t in tasks)):
        for figure, path in (("var", plot_var(out, cell, level)),
                             ("hits", plot_hits(out, cell, level)),
                             ("mixture", plot_mixture(out, cell))):
            if path:
                written.append({"index": cell.index, "period": cell.period, "title": cell.title,
                                "figure": figure, "path": path})
        if log:
            log(f"{cell.index} {cell.period}: {', '.join(models.ordered(cell.by_model))} -> {out}")
    return written


def model_choices(riskstep):
    """backtest_var's models as riskstep declares them."""
    return Choices(riskstep.choices("backtest_var", "model"))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="plot_var.py", description=__doc__.splitlines()[0],
                                     epilog="\n".join(__doc__.splitlines()[1:]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a results file or a sweep directory")
    parser.add_argument("--level", type=float, default=0.01,
                        help="VaR tail probability (default 0.01)")
    parser.add_argument("--out", help="directory for the PNGs (default: beside the results file; "
                        "for a sweep DIR: DIR_figures)")
    parser.add_argument("--riskstep", help="the riskstep binary (default: riskstep on PATH)")
    args = parser.parse_args(argv)
    return run(parser.prog, lambda: make_figures(
        args.results, args.level, args.out, model_choices(Riskstep(args.riskstep)), log=print))


if __name__ == "__main__":
    raise SystemExit(main())
