"""Which of two content files with the same slug is the new one, so the problem is reported on
the file the editor is adding rather than on the published one: a file git has not committed
(untracked, added or changed) is newer than a committed one; otherwise the later modification
time decides; without either, the later path."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Protocol, TypeVar

UNCOMMITTED = "uncommitted"
NEWER = "newer"
UNKNOWN = ""


class Sourced(Protocol):
    source: str  # project-relative path


def _uncommitted(root: Path, paths: list[str]) -> set[str] | None:
    """Those of `paths` (relative to root) that differ from git's HEAD; None without git."""
    try:
        prefix = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-prefix"], capture_output=True, text=True, timeout=10
        )
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if prefix.returncode or status.returncode:
        return None
    base = prefix.stdout.strip()
    changed = {record[3:] for record in status.stdout.split("\0") if len(record) > 3}
    return {path for path in paths if base + path in changed}


def _mtime(root: Path, path: str) -> float:
    try:
        return (root / path).stat().st_mtime
    except OSError:
        return 0.0


T = TypeVar("T", bound=Sourced)


def settle(first: T, second: T, root: Path | None) -> tuple[T, T, str]:
    """(the file that keeps the slug, the file to blame, why: UNCOMMITTED, NEWER or UNKNOWN)."""
    if root is None:
        return first, second, UNKNOWN
    uncommitted = _uncommitted(root, [first.source, second.source])
    if uncommitted is not None and len(uncommitted) == 1:
        return (second, first, UNCOMMITTED) if first.source in uncommitted else (first, second, UNCOMMITTED)
    older, newest = sorted((first, second), key=lambda e: (_mtime(root, e.source), e.source))
    if _mtime(root, older.source) == _mtime(root, newest.source):
        return first, second, UNKNOWN
    return older, newest, NEWER
