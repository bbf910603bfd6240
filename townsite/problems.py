"""Content problems: collected across a whole run, reported together as `path:line: message`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from .i18n import _


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # project-relative, POSIX separators
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised once per run, carrying every problem found, so editors fix them all in one pass."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, candidates: Iterable[str], limit: int = 3) -> str:
    """A ' (did you mean ...?)' suffix naming the closest candidates, or '' when none is close."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=limit, cutoff=0.5)
    if not close:
        return ""
    return _(" (did you mean {candidates}?)").format(candidates=_(" or ").join(f"`{c}`" for c in close))
