"""The fault-injection layer: a build killed at a chosen point (a subprocess whose environment
names the point, where townsite SIGKILLs itself: nothing of its own cleanup runs), and faults of
the machine raised by os functions in-process (ENOSPC, EACCES, EBUSY, EROFS), plus the promises
every such run must keep."""

from __future__ import annotations

import errno
import os
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


def build_killed_at(root: Path, point: str) -> subprocess.CompletedProcess:
    """`build` in a fresh interpreter that kills itself with SIGKILL at `point`."""
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--root", str(root), "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        env={**os.environ, "TOWNSITE_FAULT": point},
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, (point, result.returncode, result.stderr)
    return result


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
