"""The Whoosh index of record, kept in the build cache (never in site/) and updated entry by
entry: an entry whose search digest is unchanged is not rewritten; removed entries are deleted."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import And, Or, Require, Term
from whoosh.query import Query as WhooshQuery
from whoosh.system import emptybytes, pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from .analysis import BigramTokenizer
from .documents import ANALYZER_VERSION, FIELDS, SearchDoc, pinyin_spellings
from .query import Hit, Outcome, Plan, ranked, search
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


class _Lengths:
    """Field lengths as the per-document reader gives them (byte-quantized), from memory: the
    codec asks for one per posting, and reading each back from the column file is slow."""

    def __init__(self) -> None:
        self.by_field: dict[str, dict[int, int]] = defaultdict(dict)

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        return self.by_field[fieldname].get(docnum, default)


class BulkWriter(SegmentWriter):
    """A SegmentWriter for a new index, fed with term counts instead of text. Whoosh's own
    path re-counts every token, sorts every posting in a pool and reads every field length
    back from disk; here the counts are already made (the export needs them too), postings
    are kept per field and term in document order, so they reach the codec sorted, and the
    lengths come from memory. The segment it writes is the one add_document would: same
    postings, weights, lengths and stored fields (tests/test_search_index.py compares them)."""

    def __init__(self, ix: whoosh_index.Index, **kwargs: object):
        super().__init__(ix, **kwargs)
        self._postings: dict[str, dict[bytes, list[tuple[int, float, bytes]]]] = defaultdict(lambda: defaultdict(list))
        self._lengths = _Lengths()

    def add_counts(self, doc: SearchDoc) -> None:
        """add_document(key=..., digest=..., **doc.tokens), from doc.term_counts."""
        docnum, schema, perdoc = self.docnum, self.schema, self.perdocwriter
        perdoc.start_doc(docnum)
        counts = doc.term_counts
        for name in sorted(schema.names()):  # add_document's order
            field = schema[name]
            if name in counts:
                boost = field.format.field_boost
                postings = self._postings[name]
                length = 0
                for term, freq in counts[name].items():
                    postings[term.encode("utf-8")].append((docnum, freq * boost, pack_uint(freq)))
                    length += freq
                if length:
                    self._lengths.by_field[name][docnum] = byte_to_length(length_to_byte(length))
                perdoc.add_field(name, field, None, length)
            else:  # key and digest: one stored term each
                value = getattr(doc, name)
                self._postings[name][value.encode("utf-8")].append((docnum, field.format.field_boost, emptybytes))
                perdoc.add_field(name, field, value, 0)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _sorted_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        for name in sorted(self._postings):
            terms = self._postings[name]
            for term in sorted(terms):
                for docnum, weight, value in terms[term]:
                    yield name, term, docnum, weight, value

    def _flush_segment(self) -> None:
        assert not self.pool.current and not self.pool.runs, "BulkWriter takes add_counts only"
        self.perdocwriter.close()
        self.fieldwriter.add_postings(self.schema, self._lengths, self._sorted_postings())
        self.fieldwriter.close()


def update_index(folder: Path, docs: list[SearchDoc]) -> IndexUpdate:
    ix = _open_or_create(folder)
    with ix.searcher() as searcher:
        indexed = {fields["key"]: fields["digest"] for fields in searcher.all_stored_fields()}
        empty = searcher.doc_count_all() == 0
    current = {doc.key: doc for doc in docs}
    changed = [doc for doc in docs if indexed.get(doc.key) != doc.digest]
    removed = sorted(set(indexed) - set(current))
    if empty and changed:  # a new index (a cold build): one segment, written in bulk
        bulk = BulkWriter(ix)
        for doc in changed:
            bulk.add_counts(doc)
        bulk.commit(merge=False)
    elif changed or removed:
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


class IndexOfRecord:
    """Queries the Whoosh index with live statistics, computed once for the current documents;
    what a query means (its plan and stages) is query.py's, shared with the browser."""

    def __init__(self, folder: Path, docs: list[SearchDoc]):
        self.docs = docs
        self.position = {doc.key: i for i, doc in enumerate(docs)}
        self.weighting = LiveBM25F(Stats.of([doc.term_counts for doc in docs]))
        self.ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
        self._spellings: dict[str, str] | None = None

    def _positions(self, query: WhooshQuery) -> dict[int, int]:
        """Matching documents' positions -> score units (every match, no top-k pruning)."""
        with self.ix.searcher(weighting=self.weighting) as searcher:
            results = searcher.search(query, limit=None)
            return {self.position[hit["key"]]: round(hit.score * SCALE) for hit in results}

    def whole(self, plan: Plan) -> list[Hit]:
        everywhere = [name for name, _ in FIELDS]
        scored = Require(_any_of(plan.terms, everywhere), _covers(plan, everywhere))
        scores = self._positions(scored)
        titled = self._positions(Require(_any_of(plan.terms, ["title"]), _covers(plan, ["title"]))) if scores else {}
        return ranked(scores, titled)

    def any(self, plan: Plan) -> list[Hit]:
        return ranked(self._positions(_any_of(plan.terms, [name for name, _ in FIELDS])), {})

    def spelling(self, term: str) -> str:
        if self._spellings is None:
            self._spellings = pinyin_spellings(self.docs)
        return self._spellings.get(term, "")

    def search(self, query: str) -> Outcome:
        return search(query, self)


def _any_of(terms: tuple[str, ...], fields: list[str]) -> WhooshQuery:
    return Or([Term(field, term) for term in terms for field in fields])


def _covers(plan: Plan, fields: list[str]) -> WhooshQuery:
    return And([_any_of(group, fields) for group in plan.groups])

