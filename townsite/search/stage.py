"""The index stage: documents from the linked site, the Whoosh index of record brought up to
date in the build cache, and the static export for site/search/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Site
from .documents import SearchDoc, load_term_counts, save_term_counts, search_docs, terms_table
from .export import export_search
from .whoosh_index import IndexUpdate, update_index

INDEX_FOLDER = "search-index"


@dataclass(frozen=True)
class SearchIndex:
    docs: list[SearchDoc]
    outputs: dict[str, bytes]
    version: str
    update: IndexUpdate | None  # None when the Whoosh index was not touched (check)
    folder: Path | None


def index_site(site: Site, cache_dir: Path | None) -> SearchIndex:
    return index_docs(search_docs(site), cache_dir)


def index_docs(docs: list[SearchDoc], cache_dir: Path | None) -> SearchIndex:
    """The costly part, on plain data: `serve` runs it in a worker process."""
    update = folder = None
    if cache_dir is not None:
        terms = terms_table(cache_dir)
        complete = load_term_counts(terms, docs)  # tokenizing is the costly part
        folder = cache_dir / INDEX_FOLDER
        update = update_index(folder, docs)
    outputs, version = export_search(docs)
    if cache_dir is not None and not complete:
        save_term_counts(terms, docs)
    return SearchIndex(docs, outputs, version, update, folder)
