"""Postings for the static export, compact: each term's postings are two arrays of machine
integers in document order, document ids and score units (8 bytes a posting where a tuple of
Python ints costs about 100: at 20,000 entries there are some ten million postings), and,
aside, the few postings with a title score. The scores are whoosh.scoring.bm25's, operation
for operation (so the floats are the same bits), with what does not change per posting
hoisted out of the loop: idf per term, the length norm per document field, the tf part per
distinct tf. The loops run over whole fields in C (map, zip, dict and array methods): a
Python statement per posting is most of what indexing would cost."""

from __future__ import annotations

import heapq
from array import array
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain, compress, repeat
from operator import add, itemgetter, mul

from .documents import FIELDS, SearchDoc
from .scoring import K1, SCALE, B, Stats, quantized_length

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


FieldScorer = Callable[[Mapping[str, int]], list[int]]


def field_scorer(field: str, stats: Stats) -> FieldScorer:
    """terms -> their score units in one document's `field`, in the terms' order."""
    idf = {term: stats.idf(field, term) for term in stats.doc_freq[field]}.__getitem__
    boost, average, k1_plus_1 = dict(FIELDS)[field], stats.avg_length[field], K1 + 1

    def score(terms: Mapping[str, int]) -> list[int]:
        tfs = terms.values()
        if not tfs:
            return []
        norm = K1 * ((1 - B) + B * quantized_length(sum(tfs)) / average)
        parts = {}  # tf -> the tf part of bm25, computed as whoosh does, in units
        for tf in set(tfs):
            weight = float(tf * boost)
            # x SCALE (a power of two) is exact: round(idf * part * SCALE) to the bit.
            parts[tf] = (weight * k1_plus_1) / (weight + norm) * SCALE
        return list(map(float.__round__, map(mul, map(idf, terms.keys()), map(parts.__getitem__, tfs))))

    return score


def doc_units(fields: Mapping[str, Mapping[str, int]], scorers: dict[str, FieldScorer]) -> tuple[list, list, dict]:
    """One document's terms and score units (summed over fields), and its title's units. The
    longest field is the bulk: the others' terms are summed in a dict, then popped from it
    into the longest's units, so what is left in the dict is the terms only they have."""
    longest = max(fields, key=lambda field: len(fields[field]))
    scored = {field: scorers[field](terms) for field, terms in fields.items()}
    others: dict[str, int] = {}
    for field, terms in fields.items():
        if field != longest:
            get = others.get
            for term, units in zip(terms.keys(), scored[field], strict=True):
                others[term] = get(term, 0) + units
    bulk = fields[longest].keys()
    totals = list(map(add, scored[longest], map(others.pop, bulk, repeat(0))))
    title = dict(zip(fields["title"].keys(), scored["title"], strict=True)) if "title" in fields else {}
    return [*bulk, *others], [*totals, *others.values()], title


def postings_of(docs: Sequence[SearchDoc]) -> tuple[dict[str, Postings], Stats]:
    """term -> its postings in document order, and the statistics they were scored with."""
    counts = [doc.term_counts for doc in docs]
    stats = Stats.of(counts)
    scorers = {field: field_scorer(field, stats) for field, _ in FIELDS}
    # A term is in a document once: appending the document's id to each of its terms' rows,
    # then its units, leaves each row as (id, units) pairs, with one lookup a posting.
    rows = {term: array("i") for term in dict.fromkeys(chain.from_iterable(stats.doc_freq.values()))}
    in_title: dict[str, list[tuple[int, int]]] = {}
    for doc_id, fields in enumerate(counts):
        terms, scores, title = doc_units(fields, scorers)
        targets = list(map(rows.__getitem__, terms))
        deque(map(array.append, targets, repeat(doc_id)), maxlen=0)
        deque(map(array.append, targets, scores), maxlen=0)
        for term, score in filter(itemgetter(1), title.items()):
            in_title.setdefault(term, []).append((len(rows[term]) // 2 - 1, score))
    postings = {}
    for term in list(rows):  # split a row at a time: at most one term's postings twice in memory
        row = rows.pop(term)
        postings[term] = Postings(row[0::2], row[1::2], in_title.get(term, []))
    return postings, stats
