"""Result records, so that the ten results a query shows come with the postings instead of
ten requests after them: each term shard (export.py) ends with, for every term of at least
`MIN_DF` entries, its `TOP_K` best entries (in the order a query of that term alone ranks them)
with what a result shows and the passage of the body (or summary) where the term occurs. The
browser takes each shown hit's record from the query's terms that have it, and fetches
`d/<id>.bin` only for the rest. The passage is the excerpt: made here once, not in the browser
from a whole body."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

import orjson

from .analysis import normalize
from .documents import SearchDoc
from .postings import Postings

TOP_K = 20  # more than the ten shown: the hits of a query of two terms are mostly among either one's top 20
MIN_DF = 2  # a term of one entry gains nothing from a shared file
PASSAGE = 80  # characters around the first occurrence
LEAD = 24  # of which before it, at most
_BREAKS = "。！？；!?;\n"
_THROUGH_LAST_BREAK = re.compile(f".*[{_BREAKS}]", re.DOTALL)  # a passage starts after it (greedy: the last)


class _Text:
    """A text and its normalized form, each normalized character pointing back to the original."""

    def __init__(self, text: str):
        self.text = text
        self.norm = normalize(text)
        self.origin: list[int] | None = None  # None: position i is position i (the usual case)
        self.cuts: dict[int, str] = {}  # where a needle was found -> the passage
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
        cut = self.cuts.get(at)  # a term's bigram and its first character are often found at one place
        if cut is None:
            cut = self.cuts[at] = self._cut(at)
        return cut

    def _cut(self, at: int) -> str:
        i = at if self.origin is None else self.origin[at]
        start = max(0, i - LEAD)
        through_break = _THROUGH_LAST_BREAK.match(self.text, start, i)
        start = through_break.end() if through_break else start
        end = min(len(self.text), start + PASSAGE)
        return ("…" if start > 0 else "") + self.text[start:end].strip() + ("…" if end < len(self.text) else "")


def _passage(body: _Text, summary: _Text, needle: str) -> str:
    """Where the body has `needle`, else the summary, else the summary's start."""
    found = body.passage(needle) or summary.passage(needle)
    return found or summary.text[:PASSAGE] + ("…" if len(summary.text) > PASSAGE else "")


def _texts(doc: SearchDoc) -> tuple[_Text, _Text]:
    return _Text(doc.display["text"]), _Text(doc.display["summary"])


def passage_finder(docs: list[SearchDoc]) -> Callable[[int, str], str]:
    """passage(doc id, needle), for one document at a time."""
    return lambda doc_id, needle: _passage(*_texts(docs[doc_id]), needle)


def _shown(docs: list[SearchDoc], doc_id: int) -> tuple[str, list[str]]:
    display = docs[doc_id].display
    return str(doc_id), [display["title"], display["kind"], display["url"], display["when"]]


def shard_records(
    docs: list[SearchDoc], postings: dict[str, Postings], spellings: dict[str, str], shard_of: Callable[[str], int]
) -> dict[int, bytes]:
    """Shard number -> the records of its terms (JSON, `{"d": {id: [title, kind, url, when]},
    "t": {term: [[id, passage], ...]}}`), for the shards that have any."""
    files: dict[int, dict[str, dict]] = defaultdict(lambda: {"d": {}, "t": {}})
    wanted: dict[int, list[tuple[list, str]]] = defaultdict(list)  # doc id -> (row to fill, needle)
    shown: dict[int, tuple[str, list[str]]] = {}  # doc id -> its key and value in "d", made once
    for term, plist in postings.items():
        if len(plist) < MIN_DF:
            continue
        content = files[shard_of(term)]
        needle = spellings.get(term, "") if term[:1] in "~^" else term
        rows = content["t"][term] = [[doc_id, ""] for doc_id in plist.top(TOP_K)]
        for row in rows:
            doc_id = row[0]
            wanted[doc_id].append((row, needle))
            key, facts = shown.get(doc_id) or shown.setdefault(doc_id, _shown(docs, doc_id))
            content["d"][key] = facts
    # Passages a document at a time: its normalized texts are made once and dropped after.
    for doc_id in sorted(wanted):
        body, summary = _texts(docs[doc_id])
        for row, needle in wanted.pop(doc_id):
            row[1] = _passage(body, summary, needle)
    return {number: inert_json(content) for number, content in files.items()}


def inert_json(value: object) -> bytes:
    """Compact JSON with sorted keys and < > & escaped, so it is inert even if a host serves it
    as text/html. orjson writes what `json.dumps(value, ensure_ascii=False, sort_keys=True,
    separators=(",", ":"))` writes, encoded, in a third of the time (tests/test_search_records.py
    compares them); it takes only string keys, which is all the export has."""
    data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    return data.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")
