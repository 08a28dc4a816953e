"""How the HTML report looks: its style sheet, how a study table's cells are formatted (riskstep's
numbers, shown with the precision a reader needs), and tables, downloads and figures as HTML with
no outside resources (CSV and PNG inline as data: URLs)."""
import base64
import html
import math

import numpy as np

from riskstep_report.labels import level_text

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


def format_cell(column, value):
    """(text, css class) of one cell; negative numbers with a real minus sign."""
    shown, cls = format_value(column, value)
    if cls.startswith("num") and shown.startswith("-"):
        shown = "\u2212" + shown[1:]
    return shown, cls


def format_value(column, value):
    if column == "level":
        return level_text(value), "num"
    if isinstance(value, str):
        cls = {"pass": "pass", "FAIL": "fail", "green": "zone-green", "yellow": "zone-yellow",
               "red": "zone-red"}.get(value, "")
        if value.lower() == "nan":
            return "\u2013", "num na"
        return value, cls
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


def header_text(column):
    """A column name that may wrap after its underscores (narrower tables)."""
    return html.escape(str(column)).replace("_", "_<wbr>")


def html_table(frame, caption=None, merge_keys=True, titles=None):
    """An HTML table; leading key columns (index, period, ...) are merged over equal runs;
    `titles` {column: value -> text} gives cells a tooltip (a model's label)."""
    titles = titles or {}
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
            if column in titles and isinstance(value, str):
                label = titles[column](value)
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
