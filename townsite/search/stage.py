"""The index stage: documents from the linked site, their term counts (cached in the build
cache), and the static export for site/search/. The Whoosh index of record is not made here:
the published site does not need it (record.py makes it when `townsite search` asks)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..gcpause import gc_paused
from .documents import SearchDoc, load_term_counts, save_term_counts, terms_table
from .export import export_search


@dataclass(frozen=True)
class SearchIndex:
    docs: list[SearchDoc]
    outputs: dict[str, bytes]
    version: str


def count_terms(docs: list[SearchDoc], cache_dir: Path | None) -> None:
    """Each document's term counts, from the cache where its digest is known (tokenizing is
    the costly part); the table saved again when it did not hold exactly these documents."""
    if cache_dir is None:
        return  # counted when first asked for, and not kept
    terms = terms_table(cache_dir)
    if not load_term_counts(terms, docs):
        save_term_counts(terms, docs)


def index_docs(docs: list[SearchDoc], cache_dir: Path | None) -> SearchIndex:
    """The costly part, on plain data: `serve` runs it in a worker process."""
    with gc_paused():
        count_terms(docs, cache_dir)
        outputs, version = export_search(docs)
    return SearchIndex(docs, outputs, version)
