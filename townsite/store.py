"""The engine's store in the build cache: tables of work kept between builds, keyed by a hash of
what it was made from (each body's Markdown rendered to safe HTML, each search document's term
counts, the build-state record of what each output was made from). A later build, even after
a template or option change, redoes that work only for what changed.

A table is one file, written atomically with the versions of the code that made it; a
missing, stale or damaged file reads as empty, so the cache can only save time, never change
a result. marshal, not pickle: loading it runs no code."""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = 1


def code_digest(*files: Path) -> str:
    """A digest of the source files that make a table's rows, for its stamp: a change to that
    code can never be answered from the cache."""
    return hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()[:16]


def content_key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class Table:
    """key -> value (made of str, int, tuple, list, dict), for one kind of work."""

    def __init__(self, path: Path | None, *versions: str):
        self.path = path
        self.stamp = " ".join([f"townsite {__version__}", f"format {FORMAT}", sys.version, *versions])

    def load(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            stamp, rows = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return rows if stamp == self.stamp and isinstance(rows, dict) else {}

    def save(self, rows: dict[str, Any]) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        temporary.write_bytes(marshal.dumps((self.stamp, rows)))
        os.replace(temporary, self.path)
