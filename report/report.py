#!/usr/bin/python3
"""One self-contained HTML report of a riskstep results file or sweep directory.

usage: /usr/bin/python3 report/report.py RESULTS --out FILE.html [--riskstep PATH]
                                          [--level 0.01] [--title TEXT]

RESULTS is a sweep directory (its results.h5 is read) or a results file (riskstep sweep, backtest
or train --out). The page has no external resources (inline CSS, figures as base64 PNG, the study
tables' CSV as data: links) and holds:
  * what was run: the spec text, riskstep version and git commit, host, ranks, created time,
    library versions and Slurm ids (root attributes), task counts per kind, failed tasks;
  * the study tables: exactly `riskstep aggregate RESULTS --format json` (one table per job kind;
    riskstep is their one source: when it is missing or fails, the page says why and shows none);
  * the figures: per index and period the VaR chart, hits across seeds and the predicted mixture
    (plot_var.py, at --level) for backtest_var; the NSI figure (plot_nsi.py) for train_stepnet.

The riskstep binary: --riskstep PATH, else `riskstep` on PATH, else ../build/riskstep next to
this script. `riskstep report DIR` is meant to run
  /usr/bin/python3 <results dir>/report.py DIR --out DIR/report.html --riskstep <its binary>
The HTML is written to FILE.tmp.<host>.<pid> and renamed (riskstep's convention); the last line
printed on stdout is FILE. Exit status 2 for bad input (no results file, unreadable HDF5), 0
otherwise.
"""
import argparse
import base64
import datetime
import html
import io
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import plot_var  # noqa: E402

AGGREGATE_TIMEOUT_S = 600

# riskstep's HDF5 reader allocates and frees a 1 MB conversion buffer for every table column it
# reads; with glibc's default thresholds each is a fresh mmap, and `aggregate` of the herrig2023
# results spends ~45 s in page faults. Keeping such blocks on the heap makes it ~3 s; the output
# is byte-identical.
MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456"


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray):
        return ", ".join(text(v) for v in value.tolist())
    return str(value)


def log(message):
    print(f"report.py: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------- input

def results_path(given):
    if os.path.isdir(given):
        path = os.path.join(given, "results.h5")
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path}: no such results file (has the sweep finished?)")
        return path
    if not os.path.exists(given):
        raise FileNotFoundError(f"{given}: no such results file or sweep directory")
    return given


def read_file(path):
    """Root attributes, per-task records (attributes only) and /summary of a results file."""
    with h5py.File(path, "r") as f:
        attrs = {key: f.attrs[key] for key in f.attrs}
        tasks = []
        root = f.get("tasks")
        if isinstance(root, h5py.Group):
            for task_id, group in root.items():
                a = group.attrs
                try:
                    params = json.loads(text(a.get("parameters", "{}")))
                    params = params.get("params", params)
                except json.JSONDecodeError:
                    params = {}
                tasks.append({
                    "id": task_id,
                    "kind": text(a.get("kind", "?")),
                    "status": text(a.get("status", "?")),
                    "error": text(a.get("error", "")),
                    "wall_seconds": float(a.get("wall_seconds", float("nan"))),
                    "host": text(a.get("host", "")),
                    "params": params,
                })
        summary = pd.DataFrame(f["summary"][()]) if "summary" in f else pd.DataFrame()
    for column in summary.columns:
        if summary[column].dtype == object:
            summary[column] = summary[column].map(text)
    return attrs, tasks, summary


def find_riskstep(given):
    if given:
        return given
    on_path = shutil.which("riskstep")
    if on_path:
        return on_path
    built = os.path.join(os.path.dirname(HERE), "build", "jobs", "riskstep")
    return built if os.access(built, os.X_OK) else None


def start_aggregate(riskstep, results):
    """Starts `riskstep aggregate RESULTS --format json`; returns (process, command) or
    (None, reason)."""
    if not riskstep:
        return None, "no riskstep binary (give --riskstep PATH)"
    command = [riskstep, "aggregate", results, "--format", "json"]
    env = dict(os.environ)
    env["GLIBC_TUNABLES"] = ":".join(filter(None, [env.get("GLIBC_TUNABLES"), MALLOC_TUNABLES]))
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, env=env, text=True)
    except OSError as error:
        return None, f"cannot run {riskstep}: {error.strerror}"
    return process, command


def finish_aggregate(process):
    try:
        out, err = process.communicate(timeout=AGGREGATE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None, f"riskstep aggregate took longer than {AGGREGATE_TIMEOUT_S} s"
    if process.returncode != 0:
        message = err.strip().splitlines()[-1] if err.strip() else ""
        return None, f"riskstep aggregate exited with status {process.returncode}: {message}"
    return out, err.strip()


def study_tables(output):
    """riskstep's JSON tables (pipeline/tables/table_format.h) as (kind, DataFrame, CSV text)."""
    tables = []
    for table in json.loads(output)["tables"]:
        names = [column["name"] for column in table["columns"]]
        frame = pd.DataFrame(table["rows"], columns=names)
        for column in table["columns"]:
            if column["type"] == "number":
                frame[column["name"]] = frame[column["name"]].astype(float)
        tables.append((table["name"], frame, frame.to_csv(index=False)))
    return tables


# -------------------------------------------------------------------------------- formatting

INTEGER_COLUMNS = {"runs", "cells", "hits", "hits_min", "hits_max", "tasks", "days", "depth",
                   "parameter_count", "n00", "n01", "n10", "n11", "epochs", "epochs_trained",
                   "seed", "window", "collapsed", "nonfinite_loss", "pass_uc", "pass_cc"}
DECIMALS = {"hit_rate": 4, "hits_mean": 2, "hits_sd": 2, "pass_uc_rate": 2,
            "pass_cc_rate": 2, "pass_z2_rate": 2, "pass_mf_rate": 2, "volatility_correlation": 3, "nsi_mean": 3,
            "images_per_second": 0, "final_test_accuracy_mean": 4, "final_test_accuracy_sd": 4, "final_test_accuracy_min": 4,
            "final_test_accuracy_max": 4, "tick_loss": 6, "fz0_loss": 4, "wall_seconds": 1,
            "hits_ratio": 2, "pass_uc_mc_rate": 2, "pass_cc_mc_rate": 2, "pass_duration_rate": 2,
            "vol_slope": 2, "mean_difference": 4, "dm_statistic": 2}


def is_p_value(column):
    return column.startswith("p_") or column.endswith("_p") or column == "p"


def format_level(value):
    try:
        return repr(float(value))  # shortest text giving the same double: 0.05
    except (TypeError, ValueError):
        return str(value)


def format_cell(column, value):
    """(text, css class) of one cell; negative numbers with a real minus sign."""
    shown, cls = format_value(column, value)
    if cls.startswith("num") and shown.startswith("-"):
        shown = "\u2212" + shown[1:]
    return shown, cls


def format_value(column, value):
    if column == "level":
        return format_level(value), "num"
    if isinstance(value, str):
        cls = {"pass": "pass", "FAIL": "fail", "green": "zone-green", "yellow": "zone-yellow",
               "red": "zone-red"}.get(value, "")
        if value.lower() == "nan":
            return "\u2013", "num na"
        return value, cls
    if column == "level":
        return format_level(value), "num"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013", "num na"
    value = float(value)
    if math.isinf(value):
        return ("\u2212" if value < 0 else "") + "\u221e", "num"
    if column in INTEGER_COLUMNS and value == int(value):
        return f"{int(value):,}", "num"
    if is_p_value(column):
        return ("<0.001" if 0 <= value < 0.0005 else f"{value:.3f}"), "num"
    if column in DECIMALS:
        return f"{value:,.{DECIMALS[column]}f}", "num"
    if column.startswith("lr_"):
        return f"{value:.3f}", "num"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}", "num"
    if abs(value) >= 1000:
        return f"{value:,.0f}", "num"
    return f"{value:.4g}", "num"


def column_is_integral(frame, column):
    values = frame[column]
    if values.dtype == object:
        return False
    finite = values[np.isfinite(values.astype(float))]
    return len(finite) > 0 and bool(np.all(finite == np.round(finite)))


KEY_COLUMNS = ("index", "period", "model", "dataset", "depth", "attention", "kind")
LABELS = {"index": lambda v: plot_var.index_label(v), "period": lambda v: plot_var.period_label(v)}


def header_text(column):
    """A column name that may wrap after its underscores (narrower tables)."""
    return html.escape(str(column)).replace("_", "_<wbr>")


def html_table(frame, caption=None, merge_keys=True):
    """An HTML table; leading key columns (index, period, ...) are merged over equal runs."""
    frame = frame.reset_index(drop=True)
    columns = list(frame.columns)
    keys = []
    for column in columns:
        if column in KEY_COLUMNS and merge_keys:
            keys.append(column)
        else:
            break
    # Columns where every value is a whole number print as integers (e.g. hits of single runs).
    integral = {c for c in columns if c not in KEY_COLUMNS and c != "level" and
                c not in DECIMALS and not is_p_value(c) and column_is_integral(frame, c)}
    def numeric(column):
        return column == "level" or frame[column].dtype != object

    out = ['<div class="table-wrap"><table>']
    if caption:
        out.append(f"<caption>{caption}</caption>")
    out.append("<thead><tr>" + "".join(
        f'<th class="{"num" if c not in keys and numeric(c) else "key"}">{header_text(c)}</th>'
        for c in columns) + "</tr></thead><tbody>")
    spans = {}
    for k, column in enumerate(keys):
        start = 0
        for row in range(1, len(frame) + 1):
            same = row < len(frame) and all(frame.at[row, c] == frame.at[start, c]
                                            for c in keys[:k + 1])
            if not same:
                spans[(start, column)] = row - start
                for skipped in range(start + 1, row):
                    spans[(skipped, column)] = 0
                start = row
    for row in range(len(frame)):
        starts = [k for k in keys[:2] if spans.get((row, k), 1) > 0] if row > 0 else []
        row_class = ("group-start" if keys and keys[0] in starts else
                     "subgroup-start" if len(keys) > 2 and keys[1] in starts else "")
        cells = []
        for column in columns:
            value = frame.at[row, column]
            span = spans.get((row, column), 1)
            if span == 0:
                continue
            if column in integral and not isinstance(value, str) and np.isfinite(float(value)):
                shown, cls = f"{int(round(float(value))):,}", "num"
            else:
                shown, cls = format_cell(column, value)
            title = ""
            if column in LABELS and isinstance(value, str):
                label = LABELS[column](value)
                if label != value:
                    title = f' title="{html.escape(label)}"'
            if column in keys:
                cls = "key"
            rowspan = f' rowspan="{span}"' if span > 1 else ""
            cells.append(f'<td class="{cls}"{rowspan}{title}>{html.escape(shown)}</td>')
        out.append(f'<tr class="{row_class}">' + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def data_link(name, content, mime="text/csv"):
    payload = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return (f'<a class="download" download="{html.escape(name)}" '
            f'href="data:{mime};base64,{payload}">{html.escape(name)}</a>')


def png_data(path):
    with open(path, "rb") as handle:
        return "data:image/png;base64," + base64.b64encode(handle.read()).decode("ascii")


def figure_html(path, caption, css=""):
    return (f'<figure class="{css}"><img src="{png_data(path)}" alt="{html.escape(caption)}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


# ------------------------------------------------------------------------------------ sections

CSS = """
:root { --ink: #1d2433; --muted: #5b6475; --line: #d9dee7; --soft: #f4f6f9; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans",
       sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1320px; margin: 0 auto; padding: 28px 32px 60px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 8px; }
p.sub { color: var(--muted); margin: 0 0 18px; }
.note { background: #fff7e0; border-left: 4px solid #e0a800; padding: 8px 12px; margin: 12px 0; }
.error { background: #fdecec; border-left: 4px solid #c62828; padding: 8px 12px; margin: 12px 0; }
.meta { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 0 28px; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0 0 12px; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
code, pre, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
      overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; margin: 6px 0 12px; }
details > summary { cursor: pointer; color: var(--accent); margin: 6px 0; }
.table-wrap { overflow-x: auto; margin: 8px 0 18px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0 6px; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
thead th { white-space: normal; vertical-align: bottom; max-width: 7.5em; }
thead th { position: sticky; top: 0; background: #eef1f6; border-bottom: 2px solid #b9c2d0;
           font-weight: 600; }
th.num, td.num { text-align: right; }
th.key, td.key { text-align: left; }
td.key { background: #fafbfc; vertical-align: top; font-weight: 500; }
tr.group-start > td { border-top: 2px solid #b9c2d0; }
tr.subgroup-start > td { border-top: 1px solid #b9c2d0; }
tbody tr:hover td:not(.key) { background: #f0f5fc; }
td.na { color: #9aa3b2; }
td.wrap { white-space: normal; overflow-wrap: anywhere; max-width: 42em; vertical-align: top; }
.fail-text { color: #b3261e; }
td.pass { color: #1b6e20; }
td.fail { color: #b3261e; font-weight: 600; }
td.zone-green { background: #e3f4e4; }
td.zone-yellow { background: #fff3c4; }
td.zone-red { background: #fbdada; }
figure { margin: 14px 0 26px; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line);
             border-radius: 4px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
figure.narrow { max-width: 820px; }
a.download { font-size: 13px; }
nav.toc { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
          padding: 8px 14px; margin: 14px 0; font-size: 14px; }
nav.toc a { color: var(--accent); text-decoration: none; margin-right: 14px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line);
         padding-top: 8px; }
@media (max-width: 900px) { main { padding: 16px; } }
"""

ROOT_FIELDS = [
    ("riskstep_version", "riskstep version"),
    ("git_commit", "git commit"),
    ("created_utc", "created (UTC)"),
    ("host", "host"),
    ("mpi_size", "MPI ranks"),
    ("riskstep_format", "format"),
    ("spec_sha256", "spec sha256"),
    ("SLURM_JOB_ID", "Slurm job"),
    ("SLURM_ARRAY_JOB_ID", "Slurm array job"),
    ("SLURM_ARRAY_TASK_ID", "Slurm array task"),
    ("SLURM_JOB_NODELIST", "Slurm nodes"),
]


def kv(pairs):
    return '<dl class="kv">' + "".join(
        f"<dt>{html.escape(k)}</dt><dd>{v}</dd>" for k, v in pairs) + "</dl>"


def header_section(path, attrs, tasks):
    run = []
    for key, label in ROOT_FIELDS:
        if key in attrs:
            value = html.escape(text(attrs[key]))
            if key == "git_commit" and value.endswith("+dirty"):
                value += ' <span title="built from a modified working tree">(modified tree)</span>'
            run.append((label, f'<span class="mono">{value}</span>' if key in (
                "git_commit", "spec_sha256") else value))
    libraries = [(k[len("library_"):], html.escape(text(v))) for k, v in sorted(attrs.items())
                 if k.startswith("library_")]
    kinds = {}
    for t in tasks:
        entry = kinds.setdefault(t["kind"], {"ok": 0, "failed": 0, "other": 0, "seconds": 0.0,
                                            "hosts": set()})
        entry[t["status"] if t["status"] in ("ok", "failed") else "other"] += 1
        if math.isfinite(t["wall_seconds"]):
            entry["seconds"] += t["wall_seconds"]
        if t["host"]:
            entry["hosts"].add(t["host"])
    counts = []
    for kind, entry in kinds.items():
        part = f"{entry['ok']} ok"
        if entry["failed"]:
            part += f', <span class="fail-text"><b>{entry["failed"]} failed</b></span>'
        if entry["other"]:
            part += f", {entry['other']} other"
        part += (f"; {entry['seconds']:,.0f} s of task time on "
                 f"{html.escape(', '.join(sorted(entry['hosts'])) or '?')}")
        counts.append((kind, part))
    if not counts:
        counts.append(("tasks", "none"))
    out = ['<div class="meta"><div><h3>Run</h3>', kv([("results", f'<span class="mono">'
                                                       f'{html.escape(os.path.abspath(path))}</span>')]
                                                  + run),
           "</div><div><h3>Tasks</h3>", kv(counts)]
    if libraries:
        out += ["<h3>Libraries</h3>", kv(libraries)]
    out.append("</div></div>")
    overrides = text(attrs.get("spec_overrides", "")).strip()
    if overrides:
        out.append("<h3>Overrides (--set)</h3><pre>" + html.escape(overrides) + "</pre>")
    spec = text(attrs.get("spec_text", "")).strip()
    if spec:
        out.append('<details open><summary>Spec (root attribute <code>spec_text</code>)</summary>'
                   f"<pre>{html.escape(spec)}</pre></details>")
    return "\n".join(out)


def failed_section(tasks):
    failed = [t for t in tasks if t["status"] != "ok"]
    if not failed:
        return ""
    frame = pd.DataFrame({
        "task": [t["id"] for t in failed],
        "kind": [t["kind"] for t in failed],
        "status": [t["status"] for t in failed],
        "settings": [", ".join(f"{k}={v}" for k, v in sorted(t["params"].items())
                               if k not in ("data", "data_dir")) for t in failed],
        "error": [t["error"] for t in failed],
    })
    rows = "".join("<tr>" + "".join(f'<td class="wrap">{html.escape(str(v))}</td>' for v in r)
                   + "</tr>"
                   for r in frame.itertuples(index=False))
    head = "".join(f"<th class=key>{c}</th>" for c in frame.columns)
    return (f'<h2 id="failed">Failed tasks ({len(failed)})</h2><div class="table-wrap"><table>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")


def study_tables_section(tables, command, source_note):
    out = ['<h2 id="tables">Study tables</h2>']
    if command:
        out.append(f'<p class="sub">From <code>{html.escape(command)}</code>.</p>')
    if source_note:
        out.append(source_note)
    for kind, frame, csv_text in tables:
        out.append(f"<h3>{html.escape(kind)}</h3>" if kind else "")
        csv_name = f"{kind or 'study'}_table.csv"
        download = f"<p>CSV: {data_link(csv_name, csv_text)}</p>" if csv_text else ""
        shown = frame
        if "level" in shown.columns and shown["level"].nunique() > 1 and len(shown) > 12:
            # One table per VaR level (riskstep's rows and columns, in its order).
            out.append('<p class="sub">Split by <code>level</code> for reading; rows, columns and '
                       "order are riskstep's.</p>")
            for level in pd.unique(shown["level"]):
                part = shown[shown["level"] == level]
                conf = plot_var.confidence(float(level))
                out.append(html_table(part, caption=f"level {format_level(level)} "
                                                    f"({conf} VaR)"))
        else:
            out.append(html_table(shown))
        out.append(download)
        if kind == "backtest_var":
            out.append('<p class="sub">hits = days with loss \u2265 VaR; p-values below 0.001 '
                       "are shown as &lt;0.001; \u2013 = not defined (e.g. the sd of one run).</p>")
    return "\n".join(out)


def compare_csv(riskstep, results, level, loss):
    """`riskstep compare RESULTS --level L --loss LOSS --csv` as a DataFrame, or an error text."""
    command = [riskstep, "compare", results, "--level", repr(float(level)), "--loss", loss, "--csv"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              timeout=AGGREGATE_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, str(error)
    if done.returncode != 0:
        return None, (done.stderr.strip().splitlines() or ["exit " + str(done.returncode)])[-1]
    return pd.read_csv(io.StringIO(done.stdout), keep_default_na=False, na_values=["nan"]), ""


def scores_section(riskstep, results, level):
    """Every model variant pooled over its cells at one level, closest to calibrated first:
    riskstep compare's columns (docs/results-columns.md, Comparisons), FZ0 and tick loss."""
    out = ['<h2 id="scores">Model scores</h2>']
    if not riskstep:
        return "\n".join(out + ['<p class="note">No riskstep binary (give --riskstep PATH).</p>'])
    fz0, error = compare_csv(riskstep, results, level, "fz0")
    tick, tick_error = compare_csv(riskstep, results, level, "tick")
    if fz0 is None or tick is None:
        reason = html.escape(error or tick_error)
        return "\n".join(out + [f'<p class="note">riskstep compare: {reason}</p>'])
    frame = fz0.rename(columns={"mean_loss": "fz0_loss"})
    frame["tick_loss"] = frame.variant.map(tick.set_index("variant").mean_loss)
    frame = frame.assign(miss=(frame.hits_ratio - 1).abs()).sort_values(["miss", "fz0_loss"])
    frame = frame.drop(columns=["miss"])
    out.append(f'<p class="sub">Level {format_level(level)}, each variant (a model and its '
               "settings off their defaults; network seeds together) pooled over the cells it "
               "ran in, closest to calibrated (<code>hits_ratio</code> 1) first. From <code>"
               f"riskstep compare {html.escape(results)} --level {format_level(level)} --csv"
               "</code> (<code>--loss fz0</code> and <code>tick</code>); Diebold-Mariano tests: "
               "<code>--baseline VARIANT</code>.</p>")
    out.append(html_table(frame, merge_keys=False))
    out.append(f"<p>CSV: {data_link('model_scores.csv', frame.to_csv(index=False))}</p>")
    return "\n".join(out)


def flags_note(summary):
    flags = [c for c in ("collapsed", "nonfinite_loss") if c in summary.columns]
    if summary.empty or not flags or "model" not in summary:
        return ""
    rows = summary[(summary["kind"] == "backtest_var") & summary["model"].str.startswith("mdn")]
    if "level" in rows:  # one row per task and level: count tasks once
        rows = rows.drop_duplicates("task_id")
    if rows.empty:
        return ""
    parts = [f"{html.escape(model)}: " + ", ".join(f"{flag} {int(counts[flag])}" for flag in flags)
             for model, counts in rows.groupby("model")[flags].sum().iterrows()]
    return ('<p class="sub">Flagged networks (tasks, from <code>/summary</code>): '
            + "; ".join(parts) + ".</p>")


def var_figures_section(figures, level):
    out = ['<h2 id="figures">Figures</h2>',
           f'<p class="sub">VaR level {format_level(level)} ({plot_var.confidence(level)} VaR). '
           "Networks: the seed with the median hit count is drawn.</p>"]
    groups = {}
    for item in figures:
        groups.setdefault((item["index"], item["period"]), {})[item["figure"]] = item
    for (index, period), items in groups.items():
        name = f"{plot_var.index_label(index)}, {plot_var.period_label(period)}"
        out.append(f"<h3>{html.escape(name)}</h3>")
        if "var" in items:
            out.append(figure_html(items["var"]["path"],
                                   f"{name}: daily loss, VaR per model and its hits."))
        if "hits" in items:
            out.append(figure_html(items["hits"]["path"], f"{name}: hits across seeds (box: "
                                   "quartiles, whiskers: range; dashed: the expected count).",
                                   css="narrow"))
        if "mixture" in items:
            out.append(figure_html(items["mixture"]["path"],
                                   f"{name}: predicted mixture parameters of each MDN."))
    return "\n".join(out)


def nsi_section(results, workdir):
    import plot_nsi  # noqa: E402  (matplotlib already set to Agg by plot_var)
    try:
        runs = plot_nsi.read_runs(results)
    except SystemExit as stop:
        return f'<p class="note">NSI figure: {html.escape(str(stop))}</p>'
    except (KeyError, ValueError) as error:
        return f'<p class="note">NSI figure not drawn: {html.escape(repr(error))}</p>'
    path = os.path.join(workdir, "nsi.png")
    plot_nsi.figure(runs, path)
    import matplotlib.pyplot as plt
    plt.close("all")
    return ('<h3>train_stepnet: Neural Stiffness Index</h3>'
            + figure_html(path, "NSI per block and stage, mean over seeds of each block's NSI "
                                "mean, band from the smallest per-sample minimum to the largest "
                                "maximum (plot_nsi.py)."))


# ----------------------------------------------------------------------------------------- main

def build(args):
    started = time.monotonic()
    results = results_path(args.results)
    try:
        attrs, tasks, summary = read_file(results)
    except OSError as error:
        raise ValueError(f"{results}: not a readable HDF5 file ({error})")
    kinds = list(pd.unique(summary["kind"])) if "kind" in summary else []
    riskstep = find_riskstep(args.riskstep)
    process, command = start_aggregate(riskstep, results)
    command_text = " ".join(command) if isinstance(command, list) else ""

    body_figures = []
    with tempfile.TemporaryDirectory(prefix="riskstep-report-") as workdir:
        if "backtest_var" in kinds or (not kinds and any(t["kind"] == "backtest_var" for t in tasks)):
            try:
                figures = plot_var.make_figures(results, args.level, workdir)
                body_figures.append(var_figures_section(figures, args.level))
            except (ValueError, SystemExit) as error:
                body_figures.append(f'<p class="note">VaR figures: {html.escape(str(error))}</p>')
        if "train_stepnet" in kinds:
            body_figures.append(('<h2 id="figures">Figures</h2>' if not body_figures else "")
                                + nsi_section(results, workdir))

        tables, note = [], ""
        if process is not None:
            output, detail = finish_aggregate(process)
        else:
            output, detail = None, command
        if output is not None and output.strip():
            tables = study_tables(output)
        elif not summary.empty:
            reason = detail if output is None else "riskstep aggregate printed nothing"
            log(f"no study tables: {reason}")
            note = ('<p class="error"><b>No study table:</b> '
                    f"{html.escape(str(reason))}.</p>")
            command_text = ""
        else:
            note = ('<p class="note">No finished task has a summary row: there is no study '
                    "table.</p>")
        if output is not None and detail:
            note += f'<p class="sub">riskstep aggregate: {html.escape(detail)}</p>'

        title = args.title or ("riskstep report: " + os.path.basename(
            os.path.dirname(os.path.abspath(results)) if os.path.basename(results) == "results.h5"
            else results))
        created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        toc = ['<a href="#run">Run</a>']
        if any(t["status"] != "ok" for t in tasks):
            toc.append('<a href="#failed">Failed tasks</a>')
        toc += ['<a href="#tables">Study tables</a>']
        scores = []
        if "backtest_var" in kinds:
            scores = [scores_section(riskstep, results, args.level)]
            toc.append('<a href="#scores">Model scores</a>')
        if body_figures:
            toc.append('<a href="#figures">Figures</a>')
        page = [
            "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body><main>",
            f"<h1>{html.escape(title)}</h1>",
            f'<p class="sub">Report of <span class="mono">{html.escape(os.path.abspath(results))}'
            f"</span>, written {created}.</p>",
            '<nav class="toc">' + "".join(toc) + "</nav>",
            '<h2 id="run">What was run</h2>', header_section(results, attrs, tasks),
            failed_section(tasks),
            study_tables_section(tables, command_text, note),
            flags_note(summary),
        ] + scores + body_figures + [
            f"<footer>report/report.py {html.escape(' '.join(sys.argv[1:]))} \u2014 "
            f"{time.monotonic() - started:.1f} s; Python {sys.version.split()[0]}, "
            f"h5py {h5py.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
            f"matplotlib {plot_var.matplotlib.__version__}</footer>", "</main></body></html>"]
    return "\n".join(page)


def write_atomically(path, content):
    """Writes <path>.tmp.<host>.<pid> and renames it, riskstep's convention for temporaries."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temporary = f"{os.path.abspath(path)}.tmp.{socket.gethostname()}.{os.getpid()}"
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="\n".join(__doc__.splitlines()[1:]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a sweep directory or a results .h5 file")
    parser.add_argument("--out", required=True, help="the HTML file to write")
    parser.add_argument("--riskstep", help="the riskstep binary that prints the study tables")
    parser.add_argument("--level", type=float, default=0.01,
                        help="VaR level of the figures (default 0.01; tables hold every level)")
    parser.add_argument("--title", help="page title (default: riskstep report: <name>)")
    args = parser.parse_args()
    try:
        page = build(args)
    except (FileNotFoundError, ValueError) as error:
        print(f"report.py: {error}", file=sys.stderr)
        return 2
    write_atomically(args.out, page)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
