"""The results the tests read, made once per run by the riskstep under test (RISKSTEP_BINARY,
else the one riskstep_cli finds): small, seconds each."""
import os
import subprocess

import pytest

from riskstep_report.riskstep_cli import find_binary
from riskstep_report.source_tree import SOURCE_TREE

SHARED_DATA = os.environ.get("RISKSTEP_SHARED_DATA",
                             os.path.join(SOURCE_TREE, "..", "shared", "data"))

STEPNET_SPEC = """kind = "train_stepnet"
seed = 5
[fixed]
depth = 14
epochs = 1
steps_per_epoch = 3
test_subset = 64
nsi_samples = 32
batch = 32
threads = 1
[grid]
attention = ["none", "se"]
seed = "0-1"
"""

ECHO_SPEC = """kind = "echo"
seed = 3
[fixed]
fail_if = "b"
[grid]
model = ["a", "b"]
"""


def riskstep_run(binary, *arguments, ok_statuses=(0,)):
    done = subprocess.run([binary, *map(str, arguments)], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    assert done.returncode in ok_statuses, done.stderr
    return done


@pytest.fixture(scope="session")
def riskstep():
    return find_binary(os.environ.get("RISKSTEP_BINARY"))


@pytest.fixture(scope="session")
def backtest_file(riskstep, tmp_path_factory):
    """One cell (synthetic, covid), levels 0.01 and 0.05: HS, GARCH-t (fGarch's start), FHS and
    an MDN K=2 over 3 seeds (2 epochs: mixture parameters, not a good VaR)."""
    path = tmp_path_factory.mktemp("backtest") / "b.h5"
    riskstep_run(riskstep, "backtest", "--synthetic", "--period", "covid", "--models",
                 "hs,garch,fhs,mdn2", "--garch-dist", "student_t", "--garch-start", "fgarch",
                 "--seeds", "0-2", "--max-epochs", "2", "--levels", "0.01,0.05", "--out", path)
    return str(path)


@pytest.fixture(scope="session")
def smoke_dir(riskstep, tmp_path_factory):
    """jobs/specs/smoke.toml on one rank: 2 indices x 2 periods x HS, CMM, GARCH."""
    out = tmp_path_factory.mktemp("smoke") / "smoke"
    riskstep_run(riskstep, "sweep", os.path.join(SOURCE_TREE, "jobs", "specs", "smoke.toml"),
                 "--out", out, "--no-progress")
    return str(out)


@pytest.fixture(scope="session")
def stepnet_dir(riskstep, tmp_path_factory):
    """4 tiny trainings (ResNet-14, 3 steps): attention none and se x 2 seeds."""
    folder = tmp_path_factory.mktemp("stepnet")
    (folder / "spec.toml").write_text(STEPNET_SPEC)
    riskstep_run(riskstep, "sweep", folder / "spec.toml", "--out", folder / "out",
                 "--no-progress")
    return str(folder / "out")


@pytest.fixture(scope="session")
def failed_dir(tmp_path_factory):
    """An echo sweep (the test binary's kind) with one ok and one failed task."""
    binary = os.environ.get("RISKSTEP_TEST_KINDS")
    if not binary:
        pytest.skip("RISKSTEP_TEST_KINDS (build/tests/riskstep_test_kinds) not set")
    folder = tmp_path_factory.mktemp("echo")
    (folder / "spec.toml").write_text(ECHO_SPEC)
    riskstep_run(binary, "sweep", folder / "spec.toml", "--out", folder / "out", "--no-progress",
                 ok_statuses=(1,))
    return binary, str(folder / "out")


@pytest.fixture(scope="session")
def herrig_data():
    path = os.path.join(SHARED_DATA, "herrig2023")
    if not os.path.isdir(os.path.join(path, "results")):
        pytest.skip(f"no herrig2023 reference data at {path}")
    return path


@pytest.fixture(scope="session")
def gspc_calm_file(riskstep, herrig_data, tmp_path_factory):
    """The thesis's classical models on S&P 500 2017-18 (its `calm` period), at 1%."""
    path = tmp_path_factory.mktemp("gspc") / "gspc.h5"
    riskstep_run(riskstep, "backtest", "--data", os.path.join(herrig_data, "prices", "gspc.csv"),
                 "--index", "gspc", "--period", "calm", "--models", "hs,cmm,garch",
                 "--garch-start", "fgarch", "--levels", "0.01", "--out", path)
    return str(path)
