"""The browser client ranks exactly as the Whoosh index of record: same documents, same order,
same scores, same stage (whole, pinyin, homophone, partial), for a query set covering Chinese,
English, mixed, single characters alone and in longer queries, words typed without spaces,
traditional characters, pinyin and initials, homophone typos, no hit, and partial matches."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections import Counter

import pytest
from conftest import REPO, Project

from townsite.search.export import postings_of
from townsite.search.record_index import index_of_record

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate, write_townsite

NODE = shutil.which("node")
FIXED_QUERIES = [
    "西吉", "玫瑰小镇", "玫瑰 小镇", "镇", "峰会", "宁夏西吉", "PPP", "ppp 委员会", "一带一路", "2016",
    "140亿元", "２０万亩", "千企千镇工程", "中国企业园区国际合作联盟", "xyzzy", "不存在的词语", "玫瑰 xyzzy",
    "园区 联盟 峰会 北京", "茶叶小镇", "温泉 康养", "智能制造 产业园", "牡丹",
    # words typed without spaces, single characters, traditional, pinyin, homophones (issue #11)
    "扶贫峰会", "园区联盟", "宁夏西吉峰会", "牛", "牛 宁夏", "镇 玫瑰", "肉牛扶贫", "玫瑰小鎮", "寧夏西吉",
    "長江大保護", "xiji", "xi ji", "jiangyin", "xianzhen", "xj", "ningxia", "lijiang", "西及", "宁下", "江银", "宜宾", "abcdefg",
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
    for section in (p for p in (REPO / "content").iterdir() if p.is_dir()):  # entries and their pictures
        shutil.copytree(section, root / "content" / section.name, dirs_exist_ok=True)
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
    whoosh = index_of_record(index.docs, project.options().cache_dir)
    stages = Counter()
    for query, got in zip(queries, browser, strict=True):
        outcome = whoosh.search(query)
        expected = [[h.doc_id, h.units] for h in outcome.hits]
        assert got["hits"][:10] == expected[:10], query
        assert len(got["hits"]) == len(expected), query  # same hit count, for the counts shown
        assert (got["stage"], got["suggestion"]) == (outcome.stage, outcome.suggestion), query
        stages[outcome.stage] += 1
    # The query set really covers every stage.
    assert all(stages[s] >= 2 for s in ("whole", "pinyin", "homophone", "partial", "none")), stages


def test_export_scores_equal_whoosh_scores_for_every_posting(corpus_site):
    """Every term's exported per-document score is what Whoosh gives that document for it."""
    project, result = corpus_site
    index = result.search
    postings, _ = postings_of(index.docs)
    whoosh = index_of_record(index.docs, project.options().cache_dir)
    rng = random.Random(5)
    for term in rng.sample(sorted(t for t in postings if not t.startswith(("~", "^"))), 150):
        outcome = whoosh.search(term)
        assert outcome.stage == "whole"
        assert sorted((h.doc_id, h.units) for h in outcome.hits) == sorted(p[:2] for p in postings[term]), term


def test_exhaustive_ranking_breaks_ties_by_document_order(corpus_site):
    project, result = corpus_site
    hits = index_of_record(result.search.docs, project.options().cache_dir).search("小镇").hits
    keys = [h.order for h in hits]
    assert keys == sorted(keys) and len(hits) > 100


ROWS = {  # the issue's table: query -> (stage, a title the first hit must contain)
    "扶贫峰会": ("whole", "扶贫"),
    "园区联盟": ("whole", "中国企业园区国际合作联盟"),
    "牛": ("whole", "肉牛"),
    "玫瑰小鎮": ("whole", "玫瑰"),
    "xiji": ("pinyin", "西吉"),
    "西及": ("homophone", "西吉"),
    "宜宾": ("whole", "宜宾"),
}


@pytest.mark.parametrize("query", list(ROWS))
def test_the_issue_rows_on_the_real_content(project_real, query):
    stage, title = ROWS[query]
    outcome = project_real.search(query)
    assert outcome.stage == stage
    assert title in project_real.docs[outcome.hits[0].doc_id].display["title"]


def test_titles_that_cover_the_query_rank_first(project_real):
    hits = project_real.search("玫瑰小镇").hits
    titled = [h.title > 0 for h in hits]
    assert titled == sorted(titled, reverse=True) and sum(titled) >= 3
    assert all("玫瑰" in project_real.docs[h.doc_id].display["title"] for h in hits if h.title)
    assert project_real.docs[project_real.search("园区联盟").hits[0].doc_id].key == "/alliance/"


def test_traditional_and_simplified_queries_agree(project_real):
    for traditional, simplified in [("玫瑰小鎮", "玫瑰小镇"), ("寧夏", "宁夏"), ("長江大保護", "长江大保护")]:
        assert project_real.search(traditional).hits == project_real.search(simplified).hits


def test_pinyin_forms_agree_and_homophones_suggest_the_usual_spelling(project_real):
    xiji = project_real.search("xiji")
    assert xiji.hits == project_real.search("xi ji").hits == project_real.search("XiJi").hits
    typo = project_real.search("西及")
    assert typo.suggestion == "西吉" and typo.hits == xiji.hits
    assert project_real.search("jiangyin").stage == "pinyin"


@pytest.fixture(scope="module")
def project_real(tmp_path_factory):
    """The real content, built once, with a search function over its index of record."""
    root = tmp_path_factory.mktemp("real")
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    project = Project(root)
    result = project.build()
    index = index_of_record(result.search.docs, project.options().cache_dir)
    return index


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_pinyin_tries_the_next_split_when_the_best_reads_nothing(project):
    """`xianzhen` splits best as xian zhen; no title reads so, and the next split, xi an zhen,
    reaches 西安镇 (in Whoosh and in the browser alike)."""
    rose = project.read("content/towns/rose.md")
    project.write("content/towns/xi-an-zhen.md", rose.replace("name: 玫瑰小镇", "name: 西安镇"))
    result = project.build()
    whoosh = index_of_record(result.search.docs, project.options().cache_dir).search("xianzhen")
    assert whoosh.stage == "pinyin" and result.search.docs[whoosh.hits[0].doc_id].texts["title"] == "西安镇"
    (browser,) = node_rank(project.site / "search", ["xianzhen"])
    assert (browser["stage"], browser["hits"]) == ("pinyin", [[h.doc_id, h.units] for h in whoosh.hits])
