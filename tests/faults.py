"""The fault-injection layer: a build killed at a chosen point (a process of its own whose
environment names the point, where townsite SIGKILLs itself: nothing of its own cleanup runs), and
faults of the machine raised by os functions in-process (ENOSPC, EACCES, EBUSY, EROFS), plus the
promises every such run must keep."""

from __future__ import annotations

import errno
import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REPO, TODAY

# Every point a build passes, in order (pipeline stages, then the steps of writing and swapping).
POINTS = ["record", "listing", "config", "load+validate", "link", "assets", "cached", "plan", "fingerprint",
          "index", "render", "body links", "reuse", "swap", "swap:exchanged", "keep"]  # fmt: skip


def build_killed_at(root: Path, point: str, launcher: Launcher | None = None) -> subprocess.CompletedProcess:
    """`build` (build.py, as run from a shell) that kills itself with SIGKILL at `point`: in a fresh
    interpreter, or forked by `launcher` from one that has only imported townsite."""
    args = ["build", "--root", str(root), "--today", TODAY.isoformat()]
    env = {**os.environ, "TOWNSITE_FAULT": point}
    if launcher is not None:
        result = launcher.run(args, env)
    else:
        command = [sys.executable, str(REPO / "build.py"), *args]
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == -signal.SIGKILL, (point, result.returncode, result.stderr)
    return result


# A fresh interpreter that imports every module of townsite (and so its libraries) once, then for
# each line {"args", "env", "log"} on stdin forks a child that runs build.py as `python build.py
# ARGS` would, in that environment, its output in `log`; it answers the child's wait status.
LAUNCHER = """
import importlib, json, os, pkgutil, runpy, sys
import townsite
for module in pkgutil.walk_packages(townsite.__path__, "townsite."):
    importlib.import_module(module.name)
for line in sys.stdin:
    job = json.loads(line)
    child = os.fork()
    if child == 0:
        os.environ.clear()
        os.environ.update(job["env"])
        importlib.reload(sys.modules["townsite.faults"])  # it reads its point from the environment
        null, log = os.open(os.devnull, os.O_RDONLY), os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(null, 0), os.dup2(log, 1), os.dup2(log, 2)
        sys.argv = [job["build_py"], *job["args"]]
        try:
            runpy.run_path(job["build_py"], run_name="__main__")
        except SystemExit as done:
            os._exit(done.code if isinstance(done.code, int) else 1)
        os._exit(0)
    print(os.waitpid(child, 0)[1], flush=True)
"""


class Launcher:
    """Builds forked from one interpreter that has imported townsite: each costs its own work,
    not an interpreter's start and every import (most of a small build's time)."""

    def __init__(self, scratch: Path):
        self.log = scratch / "launched.log"
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO
        )

    def run(self, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
        assert self.process.stdin is not None and self.process.stdout is not None
        job = {"build_py": str(REPO / "build.py"), "args": args, "env": env, "log": str(self.log)}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        if not select.select([self.process.stdout], [], [], 120)[0]:
            self.process.kill()
            raise TimeoutError(f"build {args} did not end within 120 s")
        status = int(self.process.stdout.readline())
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        output = self.log.read_text(encoding="utf-8", errors="replace")
        return subprocess.CompletedProcess(args, code, output, output)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    """Staging or old copies of site/ beside it."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))


def oserror(code: int, path: object) -> OSError:
    return OSError(code, os.strerror(code), str(path))


@contextmanager
def failing(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str, code: int, when: Callable[..., bool] = lambda *a: True
) -> Iterator[list[str]]:
    """Make `owner.name` (e.g. pathlib.Path, "write_bytes") raise OSError(`code`) for the calls
    whose arguments satisfy `when`; yields the paths it failed on."""
    original = getattr(owner, name)
    failed: list[str] = []

    def fake(*args: object, **kwargs: object) -> object:
        if when(*args):
            failed.append(str(args[0]))
            raise oserror(code, args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, fake)
    try:
        yield failed
    finally:
        monkeypatch.setattr(owner, name, original)


ENVIRONMENT_CODES = {"ENOSPC": errno.ENOSPC, "EACCES": errno.EACCES, "EBUSY": errno.EBUSY, "EROFS": errno.EROFS}
