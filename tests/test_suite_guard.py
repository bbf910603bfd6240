"""The suite's own guard (tests/conftest.py): a test run that leaves a process running fails and
the process is stopped, in one process and on several workers (pytest-xdist, as scripts/test.sh
runs the suite), where each worker checks its own processes and the controller fails the run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TESTS

LEAKY = """
import subprocess


def test_leaves_a_process_running():
    subprocess.Popen(["sleep", "300"])


def test_fine():
    pass
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one-process", "xdist"])
def test_a_process_left_running_fails_the_run_and_is_stopped(tmp_path: Path, workers: list[str]) -> None:
    for helper in ("conftest.py", "shared_templates.py"):
        shutil.copy(TESTS / helper, tmp_path / helper)
    (tmp_path / "test_leaky.py").write_text(LEAKY, encoding="utf-8")
    env = {**os.environ, "TOWNSITE_TEST_PROCESS_WAIT": "0.5"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *workers, str(tmp_path)]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 passed" in done.stdout and "tests left processes running (now stopped):" in done.stdout
    (pid,) = [int(found) for found in re.findall(r"^  (\d+): sleep 300", done.stdout, re.M)]
    assert gone(pid, within=10.0), f"process {pid} still runs"


def gone(pid: int, within: float) -> bool:
    """`pid` has ended (a zombie of an ended parent is reaped by init a moment later)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False
