"""BM25F exactly as Whoosh computes it (whoosh/scoring.py: idf = log(N/(df+1)) + 1, weight =
tf x field boost, field lengths quantized to one byte, avgfl = total length / N, B 0.75,
K1 1.2, per-field scores summed), with two deliberate choices:

* statistics come from the live documents (as Whoosh has them after an optimize), so deleted
  versions left behind by incremental updates never change a score;
* each per-field score is rounded to a multiple of 1/1024, so every sum is exact in floating
  point whatever order it is added in. The browser adds integers and gets the same ranking,
  bit for bit; Whoosh's own sums, in its matcher-tree order, give the same numbers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from whoosh.scoring import BaseScorer, WeightingModel, bm25
from whoosh.util.numeric import byte_to_length, length_to_byte

from .documents import FIELDS

B = 0.75
K1 = 1.2
SCALE = 1024  # scores are integers in units of 1/SCALE


def average_length(total: int, doc_count: int) -> float:
    """Whoosh: avg_field_length = field_length / (doc_count or 1), and `or 1` when zero."""
    return (total / (doc_count or 1)) or 1


def quantized_length(length: int) -> int:
    """The field length Whoosh stores and scores with: one byte, decoded."""
    return byte_to_length(length_to_byte(length))


@dataclass(frozen=True)
class Stats:
    doc_count: int
    doc_freq: dict[str, Counter[str]]  # field -> term -> documents containing it
    avg_length: dict[str, float]  # field -> average length

    @classmethod
    def of(cls, counts: Sequence[Mapping[str, Mapping[str, int]]]) -> Stats:
        doc_freq: dict[str, Counter[str]] = {field: Counter() for field, _ in FIELDS}
        totals = dict.fromkeys(doc_freq, 0)
        for doc in counts:
            for field, terms in doc.items():
                doc_freq[field].update(terms.keys())
                totals[field] += sum(terms.values())
        n = len(counts)
        return cls(n, doc_freq, {field: average_length(total, n) for field, total in totals.items()})

    def idf(self, field: str, term: str) -> float:
        return math.log(self.doc_count / (self.doc_freq[field][term] + 1)) + 1

    def units(self, field: str, term: str, weight: float, length: int) -> int:
        """One field's score for a term in a document, in 1/SCALE units."""
        score = bm25(self.idf(field, term), weight, quantized_length(length), self.avg_length[field], B, K1)
        return round(score * SCALE)


class LiveBM25F(WeightingModel):
    """Whoosh weighting model with the statistics above, for the index of record."""

    use_final = False

    def __init__(self, stats: Stats):
        self.stats = stats

    def scorer(self, searcher, fieldname, text, qf=1):  # type: ignore[no-untyped-def]
        term = text.decode("utf-8") if isinstance(text, bytes) else text
        return _Scorer(self.stats, searcher, fieldname, term)


class _Scorer(BaseScorer):
    def __init__(self, stats: Stats, searcher, field: str, term: str):  # type: ignore[no-untyped-def]
        self.stats, self.searcher, self.field, self.term = stats, searcher, field, term

    def supports_block_quality(self) -> bool:
        return False  # no pruning: every matching document is scored

    def score(self, matcher) -> float:  # type: ignore[no-untyped-def]
        # doc_field_length is already Whoosh's byte-quantized length; quantizing again is a no-op.
        length = self.searcher.doc_field_length(matcher.id(), self.field, 1)
        return self.stats.units(self.field, self.term, matcher.weight(), length) / SCALE
