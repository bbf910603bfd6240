"""Result records grouped by term, so that the ten results a query shows come in one or two
requests instead of ten: `r/<n>.bin` holds, for every term of at least `MIN_DF` entries, its
`TOP_K` best entries (in the order a query of that term alone ranks them) with what a result
shows and the passage of the body (or summary) where the term occurs. The browser works out
from the postings it already has which terms' files cover the hits it shows, and fetches
`d/<id>.bin` only for the rest. The passage is the excerpt: made here once, not in the browser
from a whole body."""

from __future__ import annotations

import heapq
import json
from collections import defaultdict
from collections.abc import Callable

from .analysis import normalize
from .documents import SearchDoc

TOP_K = 20  # more than the ten shown: the hits of a query of two terms are mostly among either one's top 20
MIN_DF = 2  # a term of one entry gains nothing from a shared file
TARGET_RECORDS_PER_FILE = 24
PASSAGE = 80  # characters around the first occurrence
LEAD = 24  # of which before it, at most
_BREAKS = "。！？；!?;\n"

Posting = tuple[int, int, int]  # doc id, score units, title score units


def alone_order(posting: Posting) -> tuple[bool, int, int, int]:
    """How a query of this one term ranks its entries (query.Hit.order for a single term)."""
    doc_id, units, title = posting
    return (not title, -title, -units, doc_id)


class _Text:
    """A text and its normalized form, each normalized character pointing back to the original."""

    def __init__(self, text: str):
        self.text = text
        self.norm = normalize(text)
        self.origin: list[int] | None = None  # None: position i is position i (the usual case)
        if len(self.norm) != len(text):  # a character normalized to more or fewer: map each one
            origin, chars = [], []
            for i, ch in enumerate(text):
                for n in normalize(ch):
                    chars.append(n)
                    origin.append(i)
            self.norm, self.origin = "".join(chars), origin

    def passage(self, needle: str) -> str:
        at = self.norm.find(needle) if needle else -1
        if at < 0:
            return ""
        i = at if self.origin is None else self.origin[at]
        start = max(0, i - LEAD)
        breaks = [self.text.rfind(b, start, i) for b in _BREAKS]
        start = max([start, *(b + 1 for b in breaks if b >= 0)])
        end = min(len(self.text), start + PASSAGE)
        return ("…" if start > 0 else "") + self.text[start:end].strip() + ("…" if end < len(self.text) else "")


def passage_finder(docs: list[SearchDoc]) -> Callable[[int, str], str]:
    """passage(doc id, needle): where the body has it, else the summary, else the summary's start."""
    cache: dict[int, tuple[_Text, _Text]] = {}

    def passage(doc_id: int, needle: str) -> str:
        if doc_id not in cache:
            display = docs[doc_id].display
            cache[doc_id] = (_Text(display["text"]), _Text(display["summary"]))
        body, summary = cache[doc_id]
        found = body.passage(needle) or summary.passage(needle)
        return found or summary.text[:PASSAGE] + ("…" if len(summary.text) > PASSAGE else "")

    return passage


def record_files(
    docs: list[SearchDoc], postings: dict[str, list[Posting]], spellings: dict[str, str], prefix: str, hash_of
) -> tuple[dict[str, bytes], int]:
    """The r/ files (JSON, not yet compressed) and how many there are."""
    tops = {
        term: heapq.nsmallest(TOP_K, plist, key=alone_order) for term, plist in postings.items() if len(plist) >= MIN_DF
    }
    count = max(1, round(sum(len(top) for top in tops.values()) / TARGET_RECORDS_PER_FILE))
    files: dict[int, dict[str, dict]] = defaultdict(lambda: {"d": {}, "t": {}})
    passage = passage_finder(docs)
    for term in sorted(tops):
        content = files[hash_of(term) % count]
        needle = spellings.get(term, "") if term[:1] in "~^" else term
        content["t"][term] = [[doc_id, passage(doc_id, needle)] for doc_id, _, _ in tops[term]]
        for doc_id, _, _ in tops[term]:
            shown = docs[doc_id].display
            content["d"][str(doc_id)] = [shown["title"], shown["kind"], shown["url"], shown["when"]]
    return {f"{prefix}r/{n}.bin": inert_json(files[n]) for n in range(count)}, count


def inert_json(value: object) -> bytes:
    """Compact JSON with < > & escaped, so it is inert even if a host serves it as text/html."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode()
