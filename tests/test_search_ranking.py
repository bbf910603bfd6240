"""The browser client ranks exactly as the Whoosh index of record: same documents, same order,
same scores, for a query set covering Chinese, English, mixed, single characters, multi-term
queries, no hit, and a query whose AND finds nothing."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, Project

from townsite.search.export import postings_of
from townsite.search.whoosh_index import IndexOfRecord

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate, write_townsite

NODE = shutil.which("node")
FIXED_QUERIES = [
    "西吉", "玫瑰小镇", "玫瑰 小镇", "镇", "峰会", "宁夏西吉", "PPP", "ppp 委员会", "一带一路", "2016",
    "140亿元", "２０万亩", "千企千镇工程", "中国企业园区国际合作联盟", "xyzzy", "不存在的词语", "玫瑰 xyzzy",
    "园区 联盟 峰会 北京", "茶叶小镇", "温泉 康养", "智能制造 产业园", "牡丹",
]  # fmt: skip


def node_rank(search_dir, queries):
    result = subprocess.run(
        [NODE, str(REPO / "tests/js/rank.js"), str(search_dir)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    """The real content plus 250 generated entries, built once."""
    root = tmp_path_factory.mktemp("corpus")
    write_townsite(generate(250, seed=3), root)
    for section in ("towns", "parks", "events", "pages", "orgs"):
        (root / "content" / section).mkdir(exist_ok=True)
        for path in (REPO / "content" / section).glob("*.md"):
            shutil.copy(path, root / "content" / section / path.name)
    # The corpus's own site.yaml: the real one's industry vocabulary would refuse generated industries.
    project = Project(root)
    result = project.build()
    return project, result


def sample_queries(docs, count=60, seed=11):
    """Queries made of tokens that occur in the corpus, one to four terms, some run together."""
    rng = random.Random(seed)
    words = sorted({w for doc in docs for w in doc.texts["title"].replace("（", " ").split() if w})
    queries = []
    for _ in range(count):
        title = rng.choice(docs).texts["title"]
        start = rng.randrange(max(1, len(title) - 4))
        queries.append(title[start : start + rng.randint(1, 6)])
    queries += [" ".join(rng.sample(words, k=rng.randint(2, 3))) for _ in range(10)]
    return queries


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_browser_top_10_equals_whoosh_top_10(corpus_site):
    project, result = corpus_site
    index = result.search
    queries = FIXED_QUERIES + sample_queries(index.docs)
    browser = node_rank(project.site / "search", queries)
    whoosh = IndexOfRecord(index.folder, index.docs)
    checked_partial = checked_empty = 0
    for query, got in zip(queries, browser, strict=True):
        hits, partial = whoosh.search(query)
        expected = [[h.doc_id, h.units] for h in hits]
        assert got["hits"][:10] == expected[:10], query
        assert len(got["hits"]) == len(expected), query  # same hit count, for the counts shown
        assert got["partial"] == partial, query
        checked_partial += partial
        checked_empty += not expected
    # The query set really covers the fallback and the empty case.
    assert checked_partial >= 2 and checked_empty >= 2


def test_export_scores_equal_whoosh_scores_for_every_posting(corpus_site):
    """Every term's exported per-document score is what Whoosh gives that document for it."""
    _, result = corpus_site
    index = result.search
    postings, _ = postings_of(index.docs)
    whoosh = IndexOfRecord(index.folder, index.docs)
    rng = random.Random(5)
    for term in rng.sample(sorted(postings), 150):
        hits, partial = whoosh.search(term)
        assert not partial
        assert sorted((h.doc_id, h.units) for h in hits) == sorted(postings[term]), term


def test_exhaustive_ranking_breaks_ties_by_document_order(corpus_site):
    _, result = corpus_site
    hits, _ = IndexOfRecord(result.search.folder, result.search.docs).search("小镇")
    keys = [(-h.units, h.doc_id) for h in hits]
    assert keys == sorted(keys) and len(hits) > 100
