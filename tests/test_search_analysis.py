"""The Python tokenizer against the vectors the JavaScript tokenizer is checked against too."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

from townsite.search.analysis import BigramTokenizer, query_terms, tokenize

VECTORS = json.loads((REPO / "tests" / "search_vectors.json").read_text(encoding="utf-8"))["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["input"][:12] for v in VECTORS])
def test_tokenize_matches_the_shared_vectors(vector):
    assert tokenize(vector["input"]) == vector["tokens"]


def test_query_terms_are_distinct_in_first_seen_order():
    assert query_terms("玫瑰 玫瑰小镇 玫瑰") == ["玫瑰", "瑰小", "小镇"]


def test_whoosh_tokenizer_yields_the_same_tokens():
    text = "宁夏西吉 PPP产业委员会 ２０万亩"
    assert [t.text for t in BigramTokenizer()(text)] == tokenize(text)
