"""The Whoosh index of record, kept in the build cache (never in site/) and updated entry by
entry: an entry whose search digest is unchanged is not rewritten; removed entries are deleted."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import And, Or, Query, Term

from .analysis import BigramTokenizer, query_terms
from .documents import ANALYZER_VERSION, FIELDS, SearchDoc
from .scoring import SCALE, LiveBM25F, Stats

INDEX_NAME = "entries"
SCHEMA_STAMP = f"townsite-search-{ANALYZER_VERSION}-" + "-".join(f"{f}{b}" for f, b in FIELDS)


def make_schema() -> Schema:
    analyzer = BigramTokenizer()
    text_fields = {name: TEXT(analyzer=analyzer, phrase=False, field_boost=float(boost)) for name, boost in FIELDS}
    return Schema(key=ID(stored=True, unique=True), digest=ID(stored=True), **text_fields)


@dataclass(frozen=True)
class IndexUpdate:
    added: int
    updated: int
    removed: int
    unchanged: int


def _open_or_create(folder: Path) -> whoosh_index.Index:
    """A missing, outdated or unreadable index is rebuilt from scratch: it is only a cache."""
    stamp = folder / "schema.json"
    try:
        if json.loads(stamp.read_text())["schema"] == SCHEMA_STAMP:
            ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
            with ix.searcher() as searcher:  # touch it: a torn segment fails here, not later
                searcher.doc_count_all()
            return ix
    except Exception:  # any damage means: start again
        pass
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ix = whoosh_index.create_in(str(folder), make_schema(), indexname=INDEX_NAME)
    stamp.write_text(json.dumps({"schema": SCHEMA_STAMP}))
    return ix


def update_index(folder: Path, docs: list[SearchDoc]) -> IndexUpdate:
    ix = _open_or_create(folder)
    with ix.searcher() as searcher:
        indexed = {fields["key"]: fields["digest"] for fields in searcher.all_stored_fields()}
    current = {doc.key: doc for doc in docs}
    changed = [doc for doc in docs if indexed.get(doc.key) != doc.digest]
    removed = sorted(set(indexed) - set(current))
    if changed or removed:
        writer = ix.writer(limitmb=256)
        for key in removed:
            writer.delete_by_term("key", key)
        for doc in changed:
            # add_document for new keys: update_document would first search for an old copy.
            write = writer.update_document if doc.key in indexed else writer.add_document
            write(key=doc.key, digest=doc.digest, **doc.tokens)
        writer.commit()
    added = sum(doc.key not in indexed for doc in changed)
    return IndexUpdate(added, len(changed) - added, len(removed), len(docs) - len(changed))


@dataclass(frozen=True)
class Hit:
    doc_id: int  # position in site order (the export's id)
    key: str
    units: int  # score in 1/SCALE units

    @property
    def score(self) -> float:
        return self.units / SCALE


def build_query(terms: list[str], match_all: bool) -> Query:
    per_term = [Or([Term(field, term) for field, _ in FIELDS]) for term in terms]
    return And(per_term) if match_all else Or(per_term)


class IndexOfRecord:
    """Queries the Whoosh index with live statistics, computed once for the current documents."""

    def __init__(self, folder: Path, docs: list[SearchDoc]):
        self.docs = docs
        self.position = {doc.key: i for i, doc in enumerate(docs)}
        self.weighting = LiveBM25F(Stats.of([doc.term_counts for doc in docs]))
        self.ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)

    def search(self, query: str) -> tuple[list[Hit], bool]:
        """Every matching document, ranked exhaustively (no top-k pruning). All terms must
        match; when no document has them all, any may, and the second value says so."""
        terms = query_terms(query)
        if not terms:
            return [], False
        with self.ix.searcher(weighting=self.weighting) as searcher:
            for match_all in (True, False):
                results = searcher.search(build_query(terms, match_all), limit=None)
                hits = [Hit(self.position[hit["key"]], hit["key"], round(hit.score * SCALE)) for hit in results]
                if hits:
                    hits.sort(key=lambda h: (-h.units, h.doc_id))
                    return hits, not match_all
        return [], False


def search_index(folder: Path, docs: list[SearchDoc], query: str) -> tuple[list[Hit], bool]:
    return IndexOfRecord(folder, docs).search(query)
