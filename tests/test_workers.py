"""The engine's worker processes: they die with the build that started them, even when it is
killed with SIGKILL (no chance to clean up), so a killed build leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import contextlib

from corpus import generate, write_townsite


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for a reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_die_when_their_build_is_killed(tmp_path):
    write_townsite(generate(700), tmp_path)  # enough files for the two-worker path
    build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--root", str(tmp_path)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
            workers = children(build.pid)
            time.sleep(0.01)
        assert len(workers) >= 2, "the build never started its workers"
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(running(pid) for pid in workers), "a worker outlived its killed build"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)


def test_a_worker_forked_while_collections_are_paused_collects():
    """The parent pauses collections while it loads (gcpause); its workers must not inherit that."""
    import gc
    from types import SimpleNamespace

    from townsite import workers
    from townsite.gcpause import gc_paused

    with gc_paused(), workers.pool(SimpleNamespace(parent=os.getpid())) as pool:
        assert pool.submit(gc.isenabled).result()
