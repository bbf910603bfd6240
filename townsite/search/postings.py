"""Postings for the static export, compact: each term's postings are one array of machine
integers, (document id, score units, title score units) after one another in document order,
12 bytes a posting where a tuple of three Python ints costs about 100 (at 20,000 entries there
are some ten million postings). The scores are whoosh.scoring.bm25's, operation for operation
(so the floats are the same bits), with what does not change per posting hoisted out of the
loop: idf per term, the length norm per document field, the tf part per distinct tf."""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterator, Mapping
from operator import neg

from .documents import FIELDS, SearchDoc
from .scoring import K1, SCALE, B, Stats, quantized_length

Posting = tuple[int, int, int]  # doc id, score units, of which in the title


class Postings:
    """One term's postings: `ids`, `units`, `titles` as arrays, or (id, units, title) tuples
    when iterated."""

    __slots__ = ("packed",)

    def __init__(self, packed: array) -> None:
        self.packed = packed

    def __len__(self) -> int:
        return len(self.packed) // 3

    def __iter__(self) -> Iterator[Posting]:
        return zip(self.ids, self.units, self.titles, strict=True)

    @property
    def ids(self) -> array:
        return self.packed[0::3]

    @property
    def units(self) -> array:
        return self.packed[1::3]

    @property
    def titles(self) -> array:
        return self.packed[2::3]

    def top(self, k: int) -> list[int]:
        """The ids of the `k` entries a query of this term alone ranks first: titled entries by
        their title's score, then by score, then in site order (query.Hit.order)."""
        best = heapq.nlargest(k, zip(self.titles, self.units, map(neg, self.ids), strict=True))
        return [-negated for _, _, negated in best]


def postings_of(docs: list[SearchDoc]) -> tuple[dict[str, Postings], Stats]:
    """term -> its postings in document order, and the statistics they were scored with."""
    counts = [doc.term_counts for doc in docs]
    stats = Stats.of(counts)
    packed: dict[str, array] = {}
    idf_of = {field: {term: stats.idf(field, term) for term in stats.doc_freq[field]} for field, _ in FIELDS}
    for doc_id, fields in enumerate(counts):
        per_term: dict[str, int] = {}
        in_title: dict[str, int] = {}
        for field, terms in fields.items():
            scored = _field_units(terms, field, stats, idf_of[field])
            if field == "title":
                in_title = scored
            for term, units in scored.items():
                per_term[term] = per_term.get(term, 0) + units
        for term, units in per_term.items():
            row = packed.get(term)
            if row is None:
                row = packed[term] = array("i")
            row.extend((doc_id, units, in_title.get(term, 0)))
    return {term: Postings(row) for term, row in packed.items()}, stats


_BOOSTS = dict(FIELDS)


def _field_units(terms: Mapping[str, int], field: str, stats: Stats, idfs: dict[str, float]) -> dict[str, int]:
    """One document field's score units per term."""
    if not terms:
        return {}
    fl = quantized_length(sum(terms.values()))
    norm = K1 * ((1 - B) + B * fl / stats.avg_length[field])
    boost, k1_plus_1 = _BOOSTS[field], K1 + 1
    parts: dict[int, float] = {}  # tf -> the tf part of bm25, computed as whoosh does
    out = {}
    for term, tf in terms.items():
        part = parts.get(tf)
        if part is None:
            weight = float(tf * boost)
            part = parts[tf] = (weight * k1_plus_1) / (weight + norm)
        out[term] = round(idfs[term] * part * SCALE)
    return out
