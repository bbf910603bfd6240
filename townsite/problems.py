"""Content problems: collected across a whole run, reported together as `path:line: message`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .i18n import _


def _unprintable() -> re.Pattern[str]:
    """Characters a terminal line must not carry: C0/C1 controls (a newline would forge another
    message, an escape would drive the terminal; a tab is harmless), direction overrides (which reorder what is
    shown), lone surrogates (which cannot be written as UTF-8) and noncharacters."""
    ranges = ["\x00-\x08\x0a-\x1f\x7f-\x9f", "\u200e\u200f\u202a-\u202e\u2066-\u2069", "\ud800-\udfff", "\ufdd0-\ufdef"]
    ranges += [chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17)]
    return re.compile("[" + "".join(ranges) + "]")


UNPRINTABLE = _unprintable()


def printable(text: str) -> str:
    """`text` with every character of UNPRINTABLE shown as an escape (\\x0a, \\u202e)."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return UNPRINTABLE.sub(escape, text)


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # project-relative, POSIX separators
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return printable(f"{where}: {self.message}")


class ContentError(Exception):
    """Raised once per run, carrying every problem found, so editors fix them all in one pass."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, candidates: Iterable[str], limit: int = 3) -> str:
    """A ' (did you mean ...?)' suffix naming the closest candidates, or '' when none is close."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=limit, cutoff=0.5)
    # Only names nearly as close as the best: `provnce` suggests `province`, not also `cover`.
    scores = [difflib.SequenceMatcher(None, word, c).ratio() for c in close]
    close = [c for c, score in zip(close, scores, strict=True) if score >= scores[0] - 0.25]
    if not close:
        return ""
    return _(" (did you mean {candidates}?)").format(candidates=_(" or ").join(f"`{c}`" for c in close))
