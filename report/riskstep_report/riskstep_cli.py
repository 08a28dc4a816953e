"""The one place the report runs riskstep: study tables (`aggregate --format json`), comparisons
(`compare --csv`, `--list-tasks`) and the settings riskstep declares (`describe --format json`).
A subcommand that fails raises RiskstepFailed with riskstep's own one-line message and status.

The binary: the path given, else `riskstep` on PATH, else build/riskstep of the source tree this
package lies in (report/riskstep_report/ -> build/riskstep).
"""
import collections
import io
import json
import os
import shutil
import subprocess

import pandas as pd

from riskstep_report.errors import BadInput, RiskstepFailed
from riskstep_report.source_tree import SOURCE_TREE

TIMEOUT_S = 600

# riskstep's HDF5 reader allocates and frees a 1 MB conversion buffer for every table column it
# reads; with glibc's default thresholds each is a fresh mmap, and `aggregate` of the herrig2023
# results spends ~45 s in page faults. Keeping such blocks on the heap makes it ~3 s; the output
# is byte-identical.
MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456"

SOURCE_TREE_BINARY = os.path.join(SOURCE_TREE, "build", "riskstep")

StudyTable = collections.namedtuple("StudyTable", "name frame")


def find_binary(given=None):
    """The riskstep to run (see the module's help); raises BadInput when there is none."""
    if given:
        return given
    found = shutil.which("riskstep")
    if found:
        return found
    if os.access(SOURCE_TREE_BINARY, os.X_OK):
        return SOURCE_TREE_BINARY
    raise BadInput("no riskstep binary: give --riskstep PATH or put riskstep on PATH")


def study_tables(output):
    """`aggregate --format json` output (pipeline/tables/table_format.h) as StudyTables, one per
    job kind, in riskstep's row and column order; numbers as float (null: NaN), integers as int
    where every value is present."""
    tables = []
    for table in json.loads(output)["tables"]:
        names = [column["name"] for column in table["columns"]]
        frame = pd.DataFrame(table["rows"], columns=names)
        for column in table["columns"]:
            values = frame[column["name"]]
            if column["type"] == "number":
                frame[column["name"]] = values.astype(float)
            elif column["type"] == "integer" and values.notna().all():
                frame[column["name"]] = values.astype("int64")
            elif column["type"] == "string":
                frame[column["name"]] = values.astype(object).map(str)
        tables.append(StudyTable(table["name"], frame))
    return tables


class Riskstep:
    """One riskstep binary and the subcommands the report uses."""

    # (binary, kind) -> describe's entry: what a binary declares does not change while this
    # process runs, and each run of riskstep costs its start (about a second with LibTorch).
    _described = {}

    def __init__(self, binary=None):
        self.binary = find_binary(binary)

    def run(self, *arguments):
        """stdout of `riskstep ARGUMENTS`; raises RiskstepFailed with its last stderr line."""
        command = [self.binary, *map(str, arguments)]
        environment = dict(os.environ)
        environment["GLIBC_TUNABLES"] = ":".join(
            filter(None, [environment.get("GLIBC_TUNABLES"), MALLOC_TUNABLES]))
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=environment,
                                  stdin=subprocess.DEVNULL, timeout=TIMEOUT_S)
        except OSError as error:
            raise BadInput(f"cannot run {self.binary}: {error.strerror}") from None
        except subprocess.TimeoutExpired:
            raise RiskstepFailed(f"riskstep {arguments[0]} took longer than {TIMEOUT_S} s",
                                 1) from None
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            message = lines[-1].strip() if lines else \
                f"riskstep {arguments[0]} exited with status {done.returncode}"
            raise RiskstepFailed(message, done.returncode)
        return done.stdout

    def aggregate(self, results, by=()):
        """`riskstep aggregate RESULTS --format json [--by ...]`: {kind: DataFrame}, in
        riskstep's order."""
        arguments = ["aggregate", results, "--format", "json"]
        if by:
            arguments += ["--by", ",".join(by)]
        return {table.name: table.frame for table in study_tables(self.run(*arguments))}

    def aggregate_markdown(self, results):
        """`riskstep aggregate RESULTS`: the study tables as riskstep prints them for people."""
        return self.run("aggregate", results)

    def compare(self, results, level, loss="fz0", baseline=None):
        """`riskstep compare RESULTS --level L --loss LOSS [--baseline V] --csv`: one row per
        model variant (docs/results-columns.md, Comparisons)."""
        arguments = ["compare", results, "--level", repr(float(level)), "--loss", loss, "--csv"]
        if baseline:
            arguments += ["--baseline", baseline]
        return _csv(self.run(*arguments))

    def task_variants(self, results):
        """`riskstep compare RESULTS --list-tasks`: task_id -> variant (a Series)."""
        frame = _csv(self.run("compare", results, "--list-tasks"))
        return frame.set_index("task_id")["variant"]

    def describe(self, kind):
        """`riskstep describe KIND --format json`: that kind's entry (name, settings)."""
        key = (os.path.realpath(self.binary), kind)
        if key not in Riskstep._described:
            kinds = json.loads(self.run("describe", kind, "--format", "json"))["kinds"]
            Riskstep._described[key] = next(k for k in kinds if k["name"] == kind)
        return Riskstep._described[key]

    def choices(self, kind, setting):
        """The choices riskstep declares for one setting: [(value, label)] in its order."""
        for declared in self.describe(kind)["settings"]:
            if declared["name"] == setting:
                return [(choice["value"], choice["label"]) for choice in declared["choices"]]
        raise BadInput(f"riskstep describe {kind}: no setting {setting}")


def _csv(output):
    return pd.read_csv(io.StringIO(output), keep_default_na=False, na_values=["nan"])
