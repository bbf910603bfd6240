"""Postings for the static export, compact: each term's postings are two arrays of machine
integers in document order, document ids and score units (8 bytes a posting where a tuple of
Python ints costs about 100: at 20,000 entries there are some ten million postings), and,
aside, the few postings with a title score. The scores are whoosh.scoring.bm25's, operation
for operation (so the floats are the same bits), computed a field at a time as numpy arrays
over every (document, term) of the site: a Python statement per posting was most of what
indexing cost."""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress

import numpy as np
import numpy.typing as npt

from .documents import FIELDS, SearchDoc, TermCounts
from .scoring import K1, SCALE, B, Stats, average_length, quantized_length

EMPTY = TermCounts(())

Posting = tuple[int, int, int]  # doc id, score units, of which in the title


class Postings:
    """One term's postings: `ids`, `units`, `titles` as arrays, or (id, units, title) tuples
    when iterated. `in_title`: (position, title units) of the postings whose title has the
    term, in document order (a title score of 0 is no title score)."""

    __slots__ = ("ids", "in_title", "units")

    def __init__(self, ids: array, units: array, in_title: list[tuple[int, int]]) -> None:
        self.ids, self.units, self.in_title = ids, units, in_title

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Posting]:
        return zip(self.ids, self.units, self.titles, strict=True)

    @property
    def titles(self) -> array:
        titles = array("i", [0]) * len(self.ids)
        for position, units in self.in_title:
            titles[position] = units
        return titles

    def top(self, k: int) -> list[int]:
        """The ids of the `k` entries a query of this term alone ranks first: titled entries by
        their title's score, then by score, then in site order (query.Hit.order). Positions
        follow site order and a sort is stable (reverse=True too), so ties stay in site order."""
        units = self.units
        titled = sorted(self.in_title, key=lambda entry: (entry[1], units[entry[0]]), reverse=True)
        best = [position for position, _ in titled[:k]]
        wanted = k - len(best)
        if wanted > 0:  # then every titled posting is in `best`: the rest, by score
            enough = wanted + len(best)
            positions: Sequence[int] = range(len(units))
            if len(units) > enough:  # only those scoring at least the enough-th best are sorted
                cut = heapq.nlargest(enough, units)[-1]
                positions = list(compress(positions, map(cut.__le__, units)))
            by_score = sorted(positions, key=units.__getitem__, reverse=True)[:enough]
            best += [position for position in by_score if position not in best][:wanted]
        return [self.ids[position] for position in best]


CHUNK = 1000  # documents scored at once: bounds the arrays alive at a time
UNITS_BITS = 20  # a field's units stay far below 2**20 (about 2,300 x idf), so a key and its units share an int64


@dataclass
class _Field:
    """One field of every document, flattened in document order, a chunk of documents an
    array: each (document, term)'s term id and count; then what scoring needs."""

    terms: list[npt.NDArray[np.int32]]
    tfs: list[npt.NDArray[np.int32]]
    lengths: npt.NDArray[np.int64]  # terms a document
    doc_freq: npt.NDArray[np.int64]  # by term id
    average: float


def _field(field: str, counts: Sequence[dict[str, TermCounts]], index: dict[str, int]) -> _Field:
    per_doc = [c.get(field, EMPTY) for c in counts]
    n = len(per_doc)
    terms, tfs, doc_freq, total = [], [], np.zeros(len(index), np.int64), 0
    for start in range(0, n, CHUNK):
        chunk = per_doc[start : start + CHUNK]
        ids = np.fromiter(map(index.__getitem__, chain.from_iterable(c.keys() for c in chunk)), np.int32)
        terms.append(ids)
        tfs.append(np.frombuffer(b"".join(c.counts.tobytes() for c in chunk), np.int32))
        doc_freq += np.bincount(ids, minlength=len(index))
        total += int(tfs[-1].sum())
    lengths = np.fromiter(map(len, per_doc), np.int64, n)
    return _Field(terms, tfs, lengths, doc_freq, average_length(total, n))


def _score_into(f: _Field, boost: int, n: int, merged: npt.NDArray[np.int64], at: int) -> int:
    """Whoosh's bm25 for each (document, term) of the field, written into `merged` from `at` as
    (term id x n + document id) << UNITS_BITS | units; returns where the next field starts.
    The floating-point operations are Whoosh's, in its order: numpy adds, multiplies and
    divides element by element, each rounded as Python's are, and rounds halves to even as
    round() does; the logarithms and the length norms (one a term, one a document) are Python's."""
    idf = np.array([math.log(n / (df + 1)) + 1 if df else 0.0 for df in f.doc_freq.tolist()])
    for number, (terms, tfs) in enumerate(zip(f.terms, f.tfs, strict=True)):
        lengths = f.lengths[number * CHUNK : (number + 1) * CHUNK]
        local = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        field_length = np.bincount(local, weights=tfs, minlength=len(lengths)).astype(np.int64)
        norm = np.array([K1 * ((1 - B) + B * quantized_length(x) / f.average) for x in field_length.tolist()])
        weight = tfs.astype(np.float64) * boost  # float(tf x boost), exact: no int32 product to wrap
        parts = (weight * (K1 + 1)) / (weight + norm[local]) * SCALE  # x SCALE (2**10) is exact
        units = np.rint(idf[terms] * parts).astype(np.int64)
        merged[at : at + len(terms)] = (terms.astype(np.int64) * n + local + number * CHUNK) << UNITS_BITS | units
        at += len(terms)
    return at


def postings_of(docs: Sequence[SearchDoc]) -> tuple[dict[str, Postings], Stats]:
    """term -> its postings in document order, and the statistics they were scored with.
    Each field is scored as arrays (see _score_into), then the fields' units are summed per
    (term, document) after one sort: a Python statement per posting would be most of the cost."""
    counts = [doc.term_counts for doc in docs]
    n = len(counts)
    # Terms in the order of their first document, field by field (as Whoosh's terms would be listed).
    vocabulary = list(dict.fromkeys(chain.from_iterable(c[f].keys() for f, _ in FIELDS for c in counts if f in c)))
    index = {term: i for i, term in enumerate(vocabulary)}
    fields = {field: _field(field, counts, index) for field, _ in FIELDS}
    stats = Stats(n, {name: Counter({vocabulary[t]: df for t, df in enumerate(f.doc_freq.tolist()) if df})
                      for name, f in fields.items()}, {name: f.average for name, f in fields.items()})  # fmt: skip
    if not vocabulary:
        return {}, stats
    if len(vocabulary) * n >= 1 << (63 - UNITS_BITS):  # some 400 million terms at 20,000 entries
        raise ValueError("too many distinct terms for the search export")
    merged = np.empty(sum(len(ids) for f in fields.values() for ids in f.terms), np.int64)
    at = _score_into(fields.pop("title"), dict(FIELDS)["title"], n, merged, 0)
    title = merged[:at].copy()  # the title's own units, for the title positions after the sort
    for name, boost in FIELDS:
        if name in fields:
            at = _score_into(fields.pop(name), boost, n, merged, at)
    merged.sort()  # in place: at 20,000 entries this array is some 100 MB
    keys = merged >> UNITS_BITS
    merged &= (1 << UNITS_BITS) - 1  # now the units
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    totals = np.add.reduceat(merged, starts)
    del merged
    keys = keys[starts]  # one a posting, by term, then document
    bounds = np.searchsorted(keys, np.arange(len(vocabulary) + 1) * n).tolist()
    in_title = _title_positions(title, keys, bounds, n)
    ids, units = (keys % n).astype(np.int32).tobytes(), totals.astype(np.int32).tobytes()
    postings = {}
    for t, term in enumerate(vocabulary):
        start, stop = 4 * bounds[t], 4 * bounds[t + 1]
        postings[term] = Postings(array("i", ids[start:stop]), array("i", units[start:stop]), in_title.get(t, []))
    return postings, stats


def _title_positions(
    title: npt.NDArray[np.int64], keys: npt.NDArray[np.int64], bounds: list[int], n: int
) -> dict[int, list[tuple[int, int]]]:
    """term id -> (position among its postings, title units) of the postings whose title
    scores, in document order (`title`: the title field as _score_into writes it)."""
    units = title & ((1 << UNITS_BITS) - 1)
    scoring = title[units != 0] >> UNITS_BITS
    found = np.searchsorted(keys, scoring)
    out: dict[int, list[tuple[int, int]]] = {}
    for term, at, scored in zip((scoring // n).tolist(), found.tolist(), units[units != 0].tolist(), strict=True):
        out.setdefault(term, []).append((at - bounds[term], scored))
    return out
