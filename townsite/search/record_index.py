"""The Whoosh index of record, brought up to date on demand: by `townsite search` and the
tests that compare the browser's ranking with it. The published site does not need it, so a
build does not make it; it lives in the build cache and is updated entry by entry."""

from __future__ import annotations

from pathlib import Path

from .documents import SearchDoc
from .stage import count_terms
from .whoosh_index import IndexOfRecord, IndexUpdate, update_index

INDEX_FOLDER = "search-index"


def bring_up_to_date(docs: list[SearchDoc], cache_dir: Path) -> IndexUpdate:
    """The index in `cache_dir` made to hold exactly `docs`. The caller holds the project's
    build lock (the CLI does, for every command that writes the cache)."""
    count_terms(docs, cache_dir)  # the term counts a build saved: not tokenized again
    return update_index(cache_dir / INDEX_FOLDER, docs)


def index_of_record(docs: list[SearchDoc], cache_dir: Path) -> IndexOfRecord:
    bring_up_to_date(docs, cache_dir)
    return IndexOfRecord(cache_dir / INDEX_FOLDER, docs)
