"""Swapping a finished site in, safely at any moment: the new folder and the old one are
exchanged in one atomic step (Linux renameat2 RENAME_EXCHANGE) where the file system allows it;
elsewhere the old folder is renamed aside before the new one takes its place, and a build that
was killed between the two renames is repaired by the next one, which puts the old site back.
Either way the output folder always holds a whole site, old or new.

Folders beside the output named `.<name>.staging-<pid>` / `.<name>.old-<pid>` belong to the build
with that process id; once that process is gone they are leftovers, removed (or, for the old
site when the output folder is missing, restored) by the next build."""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
from pathlib import Path

from . import faults

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _renameat2() -> object | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_EXCHANGE = _renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Atomically swap two existing paths; False where the platform or file system cannot."""
    if _EXCHANGE is None:
        return False
    result = _EXCHANGE(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)  # type: ignore[operator]
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second), None, str(first))


def _remove(path: Path) -> None:
    """Best effort: what cannot be removed now is a leftover the next build removes."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def replace_folder(new: Path, target: Path, aside: Path) -> None:
    """Put `new` at `target`; the old `target`, if any, is removed. `aside` is the name the old
    folder has between the two renames where no atomic exchange is available."""
    faults.point("swap")
    if not target.exists() and not target.is_symlink():
        new.rename(target)
        return
    if exchange(new, target):
        faults.point("swap:exchanged")
        _remove(new)  # it holds the old site now
        return
    target.rename(aside)
    faults.point("swap:between")
    try:
        new.rename(target)
    except BaseException:
        aside.rename(target)
        raise
    _remove(aside)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def clean_leftovers(target: Path) -> None:
    """Remove the staging and old folders of builds that are gone (and this process's own); put
    an old site back when a build was killed between the two renames of a swap."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(staging|old)-(\d+)")
    parent = target.parent
    if not parent.is_dir():
        return
    for path in sorted(parent.iterdir()):
        match = pattern.fullmatch(path.name)
        if not match:
            continue
        pid = int(match.group(2))
        if pid != os.getpid() and _alive(pid):
            continue  # a build that is running now
        if match.group(1) == "old" and not target.exists() and not target.is_symlink():
            path.rename(target)  # killed between the renames: the old site comes back
        else:
            _remove(path)
