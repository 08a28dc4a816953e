"""riskstep's reports and a reader of its results files.

    from riskstep_report import load_summary, load_series
    summary = load_summary("out/smoke")                 # /summary: one row per task and level
    series = load_series("out/smoke", summary.task_id[0])  # that task's days: loss, var_0.01, ...

Modules (each command also runs as a script in report/ and as `python3 -m riskstep_report.X`):
reader (the one reader of HDF5), riskstep_cli (the one runner of riskstep: aggregate, compare,
describe), labels, figures_var, figures_nsi, html_format, html_report, var_tables, herrig2023,
crisis; errors and entry (exceptions, and how a command's main() reports them).
"""
from riskstep_report.reader import load_series, load_summary

__all__ = ["load_series", "load_summary"]
