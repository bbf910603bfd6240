"""Result records by term: each term's shard lists the entries a query of that term alone shows
first, in Whoosh's order, with the passage where the term occurs."""

from __future__ import annotations

import gzip
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from townsite.search.export import export_search, fnv1a
from townsite.search.record_index import index_of_record
from townsite.search.records import PASSAGE, TOP_K, inert_json, passage_finder


def shard_records(data: bytes) -> dict:
    """The records a term shard ends with (records.py), {} when it has none."""
    length, pos = 0, 0
    for shift in range(0, 64, 7):
        length |= (data[pos] & 0x7F) << shift
        pos += 1
        if not data[pos - 1] & 0x80:
            break
    rest = data[pos + length :]
    return json.loads(rest) if rest else {}


def test_each_terms_records_are_its_top_results_with_their_passages(project):
    result = project.build()
    docs = result.search.docs
    outputs, _ = export_search(docs)
    manifest = json.loads(gzip.decompress(outputs["search/manifest.bin"]))
    whoosh = index_of_record(docs, project.options().cache_dir)
    checked = 0
    for number in range(manifest["shards"]):
        content = shard_records(gzip.decompress(outputs[f"search/t/{number}.bin"]))
        for term, pairs in content.get("t", {}).items():
            assert fnv1a(term) % manifest["shards"] == number
            if term[:1] in "~^":
                continue
            hits = whoosh.search(term).hits
            assert [doc_id for doc_id, _ in pairs] == [h.doc_id for h in hits[:TOP_K]], term
            for doc_id, passage in pairs:
                shown = docs[doc_id].display
                assert content["d"][str(doc_id)] == [shown["title"], shown["kind"], shown["url"], shown["when"]]
                assert len(passage) <= PASSAGE + 2
                if term in shown["text"] or term in shown["summary"]:
                    assert term in passage, (term, passage)
            checked += 1
    assert checked > 50


def test_a_passage_is_cut_around_the_word_or_falls_back_to_the_summary(project):
    docs = project.build(write=False).search.docs
    doc_id = max(range(len(docs)), key=lambda i: len(docs[i].display["text"]))
    text = docs[doc_id].display["text"]
    assert len(text) > 20
    needle = text[-3:-1]
    passage = passage_finder(docs)(doc_id, needle)
    assert needle in passage and len(passage) <= PASSAGE + 2
    assert passage_finder(docs)(doc_id, "不会出现的词语") == docs[doc_id].display["summary"][:PASSAGE] + (
        "…" if len(docs[doc_id].display["summary"]) > PASSAGE else ""
    )


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_inert_json_is_pythons_compact_sorted_json_with_markup_escaped(value):
    try:
        expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    except UnicodeEncodeError:  # a lone surrogate: no JSON file can hold it
        return
    expected = expected.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")
    assert inert_json(value) == expected
    assert b"<" not in inert_json(value) and json.loads(inert_json(value)) == value
