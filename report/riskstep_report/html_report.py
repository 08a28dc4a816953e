"""One self-contained HTML report of a riskstep results file or sweep directory.

usage: report.py RESULTS --out FILE.html [--riskstep PATH] [--level 0.01] [--title TEXT]

RESULTS is a sweep directory (its results.h5 is read) or a results file (riskstep sweep, backtest
or train --out). The page has no external resources (inline CSS, figures as base64 PNG, the study
tables' CSV as data: links) and holds:
  * what was run: the spec text, riskstep version and git commit, host, ranks, created time,
    library versions and Slurm ids (root attributes), task counts per kind, failed tasks;
  * the study tables: exactly `riskstep aggregate RESULTS --format json` (one table per job kind;
    riskstep is their one source: when it fails, the page says why and shows none), the flagged
    networks (`aggregate --by model,level,collapsed,nonfinite_loss`) and the model scores
    (`riskstep compare --csv`, FZ0 and tick loss);
  * the figures: per index and period the VaR chart, hits across seeds and the predicted mixture
    (figures_var, at --level) for backtest_var; the NSI figure (figures_nsi) for train_stepnet.
Models are ordered and labelled as `riskstep describe` declares them.

The riskstep binary: --riskstep PATH, else `riskstep` on PATH, else build/riskstep of this source
tree. `riskstep report DIR` runs
  /usr/bin/python3 <share/riskstep or the source tree>/report/report.py DIR --out DIR/report.html
      --riskstep <its own binary>
The HTML is written to FILE.tmp.<host>.<pid> and renamed (riskstep's convention); the last line
printed on stdout is FILE. Exit status 2 for bad input (no results file, unreadable HDF5), 1 when
riskstep or a figure fails, 0 otherwise.
"""
import argparse
import datetime
import html
import math
import os
import socket
import sys
import tempfile
import time

import h5py
import matplotlib
import numpy as np
import pandas as pd

from riskstep_report import figures_nsi, figures_var, reader
from riskstep_report.entry import run
from riskstep_report.errors import BadInput, ReportError
from riskstep_report.html_format import CSS, data_link, figure_html, html_table
from riskstep_report.labels import confidence, level_text
from riskstep_report.reader import text
from riskstep_report.riskstep_cli import Riskstep
from riskstep_report.var_tables import network_flags, network_models


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


def study_tables_section(tables, command, note, titles):
    out = ['<h2 id="tables">Study tables</h2>']
    if command:
        out.append(f'<p class="sub">From <code>{html.escape(command)}</code>.</p>')
    if note:
        out.append(note)
    for kind, frame in tables.items():
        out.append(f"<h3>{html.escape(kind)}</h3>")
        download = f"<p>CSV: {data_link(f'{kind}_table.csv', frame.to_csv(index=False))}</p>"
        if "level" in frame.columns and frame["level"].nunique() > 1 and len(frame) > 12:
            # One table per VaR level (riskstep's rows and columns, in its order).
            out.append('<p class="sub">Split by <code>level</code> for reading; rows, columns and '
                       "order are riskstep's.</p>")
            for level in pd.unique(frame["level"]):
                part = frame[frame["level"] == level]
                out.append(html_table(part, caption=f"level {level_text(level)} "
                                                    f"({confidence(level)} VaR)", titles=titles))
        else:
            out.append(html_table(frame, titles=titles))
        out.append(download)
        if kind == "backtest_var":
            out.append('<p class="sub">hits = days with loss \u2265 VaR; p-values below 0.001 '
                       "are shown as &lt;0.001; \u2013 = not defined (e.g. the sd of one run).</p>")
    return "\n".join(out)


def scores_section(riskstep, results, level):
    """Every model variant pooled over its cells at one level, closest to calibrated first:
    riskstep compare's columns (docs/results-columns.md, Comparisons), FZ0 and tick loss."""
    out = ['<h2 id="scores">Model scores</h2>']
    try:
        fz0 = riskstep.compare(results, level, "fz0")
        tick = riskstep.compare(results, level, "tick")
    except ReportError as error:
        return "\n".join(out + [f'<p class="note">{html.escape(str(error))}</p>'])
    frame = fz0.rename(columns={"mean_loss": "fz0_loss"})
    frame["tick_loss"] = frame.variant.map(tick.set_index("variant").mean_loss)
    frame = frame.assign(miss=(frame.hits_ratio - 1).abs()).sort_values(["miss", "fz0_loss"])
    frame = frame.drop(columns=["miss"])
    out.append(f'<p class="sub">Level {level_text(level)}, each variant (a model and its '
               "settings off their defaults; network seeds together) pooled over the cells it "
               "ran in, closest to calibrated (<code>hits_ratio</code> 1) first. From <code>"
               f"riskstep compare {html.escape(results)} --level {level_text(level)} --csv"
               "</code> (<code>--loss fz0</code> and <code>tick</code>); Diebold-Mariano tests: "
               "<code>--baseline VARIANT</code>.</p>")
    out.append(html_table(frame, merge_keys=False))
    out.append(f"<p>CSV: {data_link('model_scores.csv', frame.to_csv(index=False))}</p>")
    return "\n".join(out)


def flags_note(riskstep, results, level, table):
    """The network tasks flagged collapsed or nonfinite_loss, per model, from riskstep."""
    flags = network_flags(riskstep, results, level, network_models(table))
    if not flags:
        return ""
    parts = [f"{html.escape(model)}: " + ", ".join(f"{flag} {count}"
                                                    for flag, count in counts.items())
             for model, counts in flags]
    return (f'<p class="sub">Flagged networks (tasks at level {level_text(level)}, from <code>'
            "riskstep aggregate --by model,level,collapsed,nonfinite_loss</code>): "
            + "; ".join(parts) + ".</p>")


def var_figures_section(figures, level):
    out = ['<h2 id="figures">Figures</h2>',
           f'<p class="sub">VaR level {level_text(level)} ({confidence(level)} VaR). '
           "Several seeds of a model: the seed with the median hit count is drawn.</p>"]
    groups = {}
    for item in figures:
        groups.setdefault((item["index"], item["period"]), {})[item["figure"]] = item
    for items in groups.values():
        name = next(iter(items.values()))["title"]
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
                                   f"{name}: predicted mixture parameters of each network."))
    return "\n".join(out)


def nsi_section(riskstep, results, workdir):
    try:
        runs = figures_nsi.read_runs(results, riskstep)
    except BadInput as error:
        return f'<p class="note">NSI figure: {html.escape(str(error))}</p>'
    path = os.path.join(workdir, "nsi.png")
    figures_nsi.figure(runs, figures_nsi.attention_choices(riskstep), path)
    return ('<h3>train_stepnet: Neural Stiffness Index</h3>'
            + figure_html(path, "NSI per block and stage, mean over seeds of each block's NSI "
                                "mean, band from the smallest per-sample minimum to the largest "
                                "maximum (plot_nsi.py)."))


def study_tables(riskstep, results, ok_kinds):
    """(tables {kind: DataFrame}, the command shown, a note) from riskstep aggregate."""
    command = f"{riskstep.binary} aggregate {results} --format json"
    if not ok_kinds:
        return {}, "", ('<p class="note">No finished task has a summary row: there is no study '
                        "table.</p>")
    try:
        return riskstep.aggregate(results), command, ""
    except ReportError as error:
        print(f"report.py: no study tables: {error}", file=sys.stderr)
        return {}, "", f'<p class="error"><b>No study table:</b> {html.escape(str(error))}.</p>'


def figures_sections(riskstep, results, level, kinds, models, workdir):
    body = []
    if "backtest_var" in kinds:
        try:
            figures = figures_var.make_figures(results, level, workdir, models)
            body.append(var_figures_section(figures, level))
        except BadInput as error:
            body.append(f'<p class="note">VaR figures: {html.escape(str(error))}</p>')
    if "train_stepnet" in kinds:
        body.append(('<h2 id="figures">Figures</h2>' if not body else "")
                    + nsi_section(riskstep, results, workdir))
    return body


def build(args):
    """The page's HTML."""
    started = time.monotonic()
    results = reader.results_path(args.results)
    attrs = reader.load_attributes(results)
    listed = reader.load_tasks(results)
    tasks = [{"id": row["task_id"], "kind": row["kind"], "status": row["status"],
              "error": row["error"], "wall_seconds": row["wall_seconds"], "host": row["host"],
              "params": reader.task_settings(row)} for _, row in listed.iterrows()]
    kinds = list(dict.fromkeys(t["kind"] for t in tasks if t["status"] == "ok"))
    riskstep = Riskstep(args.riskstep)
    models = figures_var.model_choices(riskstep)
    tables, command, note = study_tables(riskstep, results, kinds)
    with tempfile.TemporaryDirectory(prefix="riskstep-report-") as workdir:
        body_figures = figures_sections(riskstep, results, args.level, kinds, models, workdir)
        title = args.title or ("riskstep report: " + os.path.basename(
            os.path.dirname(os.path.abspath(results)) if os.path.basename(results) == "results.h5"
            else results))
        created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        toc = ['<a href="#run">Run</a>']
        if any(t["status"] != "ok" for t in tasks):
            toc.append('<a href="#failed">Failed tasks</a>')
        toc += ['<a href="#tables">Study tables</a>']
        scores, flags = [], ""
        if "backtest_var" in tables:
            flags = flags_note(riskstep, results, args.level, tables["backtest_var"])
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
            study_tables_section(tables, command, note, {"model": models.label}),
            flags,
        ] + scores + body_figures + [
            f"<footer>report/report.py {html.escape(' '.join(sys.argv[1:]))} \u2014 "
            f"{time.monotonic() - started:.1f} s; Python {sys.version.split()[0]}, "
            f"h5py {h5py.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
            f"matplotlib {matplotlib.__version__}</footer>", "</main></body></html>"]
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


def write_report(args):
    write_atomically(args.out, build(args))
    print(args.out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="report.py", description=__doc__.splitlines()[0],
                                     epilog="\n".join(__doc__.splitlines()[1:]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a sweep directory or a results .h5 file")
    parser.add_argument("--out", required=True, help="the HTML file to write")
    parser.add_argument("--riskstep", help="the riskstep binary that prints the study tables")
    parser.add_argument("--level", type=float, default=0.01,
                        help="VaR level of the figures and scores (default 0.01; tables hold "
                             "every level)")
    parser.add_argument("--title", help="page title (default: riskstep report: <name>)")
    args = parser.parse_args(argv)
    return run(parser.prog, lambda: write_report(args))


if __name__ == "__main__":
    raise SystemExit(main())
