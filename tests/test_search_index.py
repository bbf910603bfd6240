"""The Whoosh index of record: updated entry by entry, rebuilt when damaged, and ranking the
same after any sequence of updates as a fresh index does; the export is reproducible."""

from __future__ import annotations

import gzip
import json
import sys
from dataclasses import replace
from pathlib import Path

from townsite.cli import main
from townsite.search.documents import search_docs
from townsite.search.export import export_search, fnv1a
from townsite.search.record_index import INDEX_FOLDER, bring_up_to_date
from townsite.search.whoosh_index import INDEX_NAME, IndexOfRecord, _open_or_create, update_index

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from corpus import generate, write_townsite

QUERIES = ["玫瑰", "西吉 峰会", "宁夏", "论坛", "镇", "玫瑰 xyzzy"]


def ranking(folder, docs):
    index = IndexOfRecord(folder, docs)
    return {q: index.search(q) for q in QUERIES}


def test_updates_touch_only_changed_entries(project, tmp_path):
    docs = search_docs(project.build(write=False).site)
    folder = tmp_path / "ix"
    first = update_index(folder, docs)
    assert (first.added, first.updated, first.removed, first.unchanged) == (len(docs), 0, 0, 0)
    again = update_index(folder, docs)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, len(docs))
    edited = [replace(docs[0], texts={**docs[0].texts, "body": "新的正文 玫瑰"}), *docs[1:-1]]
    step = update_index(folder, edited)
    assert (step.added, step.updated, step.removed, step.unchanged) == (0, 1, 1, len(docs) - 2)


def test_ranking_after_updates_equals_a_fresh_index(project, tmp_path):
    docs = search_docs(project.build(write=False).site)
    history = tmp_path / "history"
    update_index(history, docs)
    edited = [replace(d, texts={**d.texts, "summary": d.texts["summary"] + " 玫瑰论坛"}) for d in docs[:3]]
    update_index(history, edited + docs[3:-1])  # three edits and one deletion
    final = edited + docs[3:-1]
    update_index(history, final)
    fresh = tmp_path / "fresh"
    update_index(fresh, final)
    assert ranking(history, final) == ranking(fresh, final)
    assert any(outcome.hits for outcome in ranking(fresh, final).values())


def index_contents(folder):
    """Everything a segment holds that searching can read: per field every term with its
    statistics and postings, every document's field lengths, the stored fields."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
    with ix.reader() as reader:
        fields = {}
        for name in reader.indexed_field_names():
            terms = {}
            for term in reader.lexicon(name):
                info = reader.term_info(name, term)
                matcher = reader.postings(name, term)
                postings = []
                while matcher.is_active():
                    postings.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                stats = (info.weight(), info.doc_frequency(), info.max_weight(), info.min_length(), info.max_length())
                terms[term] = (stats, postings)
            lengths = [reader.doc_field_length(n, name) for n in range(reader.doc_count_all())]
            totals = None
            if reader.schema[name].scorable:
                totals = (reader.field_length(name), reader.min_field_length(name), reader.max_field_length(name))
            fields[name] = (terms, lengths, totals)
        return fields, list(reader.all_stored_fields()), reader.doc_count_all()


def test_bulk_load_writes_what_add_document_writes(tmp_path):
    """A new index is written in bulk from term counts; Whoosh's add_document, given the
    same documents as token lists, must produce the same index."""

    from conftest import Project

    root = tmp_path / "corpus"
    write_townsite(generate(60, seed=8), root)
    # (The corpus keeps its own site.yaml: the real one's industry vocabulary would refuse its industries.)
    docs = search_docs(Project(root).build(write=False).site)
    bulk = update_index(tmp_path / "bulk", docs)
    assert bulk.added == len(docs) == 60
    ix = _open_or_create(tmp_path / "reference")
    writer = ix.writer()
    for doc in docs:
        writer.add_document(key=doc.key, digest=doc.digest, **doc.tokens)
    writer.commit()
    expected = index_contents(tmp_path / "reference")
    assert index_contents(tmp_path / "bulk") == expected
    assert len(expected[0]["body"][0]) > 1000  # a real vocabulary was compared


def test_a_damaged_index_is_rebuilt_not_trusted(project, tmp_path):
    docs = search_docs(project.build(write=False).site)
    folder = tmp_path / "ix"
    update_index(folder, docs)
    expected = ranking(folder, docs)
    for path in folder.iterdir():
        if path.suffix in (".seg", ".toc", ".pst", ".trm"):
            path.write_bytes(b"\x00garbage")
    rebuilt = update_index(folder, docs)
    assert rebuilt.added == len(docs)
    assert ranking(folder, docs) == expected


def test_the_index_lives_in_the_cache_not_in_the_site(project, capsys):
    project.build()
    # The published site does not need it: a build does not make it, `search` does.
    assert not (project.root / ".townsite-cache" / INDEX_FOLDER).exists()
    assert main(["search", "--root", str(project.root), "玫瑰"]) == 0
    assert "玫瑰小镇" in capsys.readouterr().out
    assert (project.root / ".townsite-cache" / INDEX_FOLDER / "schema.json").is_file()
    assert not any(p.suffix in (".seg", ".toc") for p in project.site.rglob("*"))


def test_check_does_not_touch_the_cache(project):
    project.build(write=False)
    assert not (project.root / ".townsite-cache").exists()


def test_export_is_reproducible_and_shards_hold_their_own_terms(project):
    docs = search_docs(project.build(write=False).site)
    first, version = export_search(docs)
    second, again = export_search(docs)
    assert first == second and version == again
    manifest = json.loads(gzip.decompress(first["search/manifest.bin"]))
    assert manifest["docCount"] == len(docs) and manifest["version"] == version
    assert version.endswith(f"-{manifest['shards']}")  # the page's version tells the browser the shard count
    terms_seen = 0
    for number in range(manifest["shards"]):
        for term, spelling in shard_terms(gzip.decompress(first[f"search/t/{number}.bin"])):
            assert fnv1a(term) % manifest["shards"] == number
            assert bool(spelling) == term.startswith(("~", "^"))  # pinyin terms say how they are written
            terms_seen += 1
    assert terms_seen > 100


def test_search_index_shows_published_entries_only(project):
    result = project.build(write=False)
    keys = {doc.key for doc in result.search.docs}
    assert "/towns/hidden/" not in keys and "/towns/lake-town/" in keys
    drafts = project.build(write=False, include_drafts=True)
    assert "/towns/hidden/" in {doc.key for doc in drafts.search.docs}


def test_the_index_of_record_is_brought_up_to_date_entry_by_entry(project):
    cache = project.options().cache_dir
    result = project.build()
    assert bring_up_to_date(result.search.docs, cache).added == len(result.search.docs)
    project.edit("content/towns/lake-town.md", "湖畔小镇的正文。", "湖畔小镇的新正文。")
    update = bring_up_to_date(project.build().search.docs, cache)
    assert (update.updated, update.unchanged) == (1, len(result.search.docs) - 1)


def shard_terms(data: bytes):
    """(term, spelling) of each entry of a term shard (format in townsite/search/export.py)."""
    pos = 0

    def varint():
        nonlocal pos
        value = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    def string():
        nonlocal pos
        length = varint()
        pos += length
        return data[pos - length : pos].decode()

    end = varint()
    end += pos
    while pos < end:
        term, spelling = string(), string()
        n = varint()
        for _ in range(3 * n):
            varint()
        yield term, spelling


def test_the_browser_reads_facet_columns_with_the_exports_alphabet(project):
    """The browser (static/search.js/results.js) decodes the manifest's facet columns: its alphabet is the export's."""
    from townsite.search.export import FACET_ALPHABET, NO_VALUE

    client = (Path(__file__).resolve().parents[1] / "static/search.js/results.js").read_text(encoding="utf-8")
    assert f'var FACET_ALPHABET = "{FACET_ALPHABET}";' in client
    assert NO_VALUE not in FACET_ALPHABET  # a document without a province decodes to none
    docs = search_docs(project.build(write=False).site)
    facets = json.loads(gzip.decompress(export_search(docs)[0]["search/manifest.bin"]))["facets"]
    assert len(facets["kind"]) == len(facets["province"]) == len(docs)
    assert all(len(column) == len(docs) for column in facets["program"])
    for doc, kind, province in zip(docs, facets["kind"], facets["province"], strict=True):
        assert facets["kinds"][FACET_ALPHABET.index(kind)] == doc.kind
        assert (facets["provinces"][FACET_ALPHABET.index(province)] if province != NO_VALUE else "") == doc.province
