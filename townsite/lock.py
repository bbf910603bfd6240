"""One build at a time per project: a lock on a file in the build cache (fcntl.flock, released
by the kernel when the process ends, however it ends). A second build waits a little for the
first to finish, then says that another build is running."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = "build.lock"
# How long a second build waits for the first; TOWNSITE_LOCK_WAIT (seconds) overrides it.
WAIT_SECONDS = 10.0


class BuildLocked(Exception):
    def __init__(self, path: Path):
        super().__init__(f"{path} is locked by another build")
        self.path = path


def _wait() -> float:
    try:
        return float(os.environ.get("TOWNSITE_LOCK_WAIT", WAIT_SECONDS))
    except ValueError:
        return WAIT_SECONDS


@contextmanager
def build_lock(cache_dir: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the project's build lock for the block. `on_wait()` is called once if the lock is
    busy; BuildLocked is raised when it is still busy after the wait. The file is never written
    (a failed build leaves the cache as it was)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + _wait()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLocked(path) from None
                if not told and on_wait is not None:
                    on_wait()
                    told = True
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # releases the lock
