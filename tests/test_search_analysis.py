"""The Python side of the rules shared with the browser, against the vectors tests/js checks the
JavaScript side against: tokens, traditional -> simplified, pinyin segmentation, query plans.
Also: the character data comes from OpenCC and pypinyin, and every pass is linear."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import time

import pytest
from conftest import REPO

from townsite.search.analysis import BigramTokenizer, pinyin_spelled, runs, tokenize
from townsite.search.chinese import (
    TRADITIONAL_BLOCK,
    char_data,
    readings,
    segment,
    segmentations,
    syllables,
    t2s_table,
    to_simplified,
    traditional_bits,
)
from townsite.search.documents import plain_body
from townsite.search.query import homophone_plan, pinyin_plan, text_plan

SHARED = json.loads((REPO / "tests" / "search_vectors.json").read_text(encoding="utf-8"))
VECTORS = SHARED["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["input"][:12] for v in VECTORS])
def test_tokenize_matches_the_shared_vectors(vector):
    assert tokenize(vector["input"]) == vector["tokens"]


def test_a_run_gives_its_bigrams_then_its_characters():
    assert tokenize("宁夏西吉") == ["宁夏", "夏西", "西吉", "宁", "夏", "西", "吉"]
    assert tokenize("镇") == ["镇"]


@pytest.mark.parametrize("vector", SHARED["conversions"], ids=[v["input"] for v in SHARED["conversions"]])
def test_traditional_is_read_as_simplified(vector):
    assert [list(r) for r in runs(vector["input"])] == vector["runs"]
    data = char_data(64)
    for ch, entry in vector["chars"].items():  # what the browser is given for these characters
        assert data[ord(ch) % 64][ch] == entry


def test_conversion_comes_from_opencc_and_is_stable():
    table = t2s_table()
    assert table["鎮"] == "镇" and table["後"] == "后" and table["臺"] == "台"
    assert len(table) > 4000
    assert all(to_simplified(simple) == simple for simple in table.values())  # a fixed point
    assert tokenize("玫瑰小鎮") == tokenize("玫瑰小镇")


def test_syllables_and_segmentation_match_the_vectors():
    assert sorted(syllables()) == SHARED["syllables"]
    for vector in SHARED["segments"]:
        assert segment(vector["letters"]) == vector["syllables"], vector["letters"]


def test_pinyin_splits_match_the_vectors():
    for vector in SHARED["splits"]:
        assert segmentations(vector["letters"]) == vector["splits"], vector["letters"]
    assert segmentations("xianzhen") == [["xian", "zhen"], ["xi", "an", "zhen"]]  # 西安镇 is reached second


def _plan(plan):
    return None if plan is None else {"terms": list(plan.terms), "groups": [list(g) for g in plan.groups]}


@pytest.mark.parametrize("vector", SHARED["plans"], ids=[v["query"] for v in SHARED["plans"]])
def test_query_plans_match_the_vectors(vector):
    query = vector["query"]
    assert _plan(text_plan(query)) == vector["text"]
    assert _plan(pinyin_plan(query)) == vector["pinyin"]
    assert _plan(homophone_plan(query)) == vector["homophone"]
    sounds = readings()
    assert {ch: entry[1] for ch, entry in vector["chars"].items()} == {ch: sounds[ch] for ch in vector["chars"]}


def test_a_spanning_bigram_is_scored_but_never_required():
    plan = text_plan("扶贫峰会")
    assert "贫峰" in plan.terms
    assert ("扶贫",) in plan.groups and ("峰会",) in plan.groups  # 扶贫 + 峰会 cover every character


def test_readings_of_titles_use_phrase_context():
    spelled = dict(pinyin_spelled("重庆江阴"))
    assert spelled["~chongqing"] == "重庆" and spelled["~jiangyin"] == "江阴" and spelled["^jy"] == "江阴"


def test_whoosh_tokenizer_yields_the_same_tokens():
    text = "宁夏西吉 PPP产业委员会 ２０万亩"
    assert [t.text for t in BigramTokenizer()(text)] == tokenize(text)


@pytest.mark.parametrize(
    "body",
    [
        " " * 4000 + "x",  # a table-rule pattern once backtracked cubically on this
        "|" + " " * 4000 + "|x",
        "](" * 20000,  # a link target with no end
        "<" * 20000,
        ("西吉" + " " * 3000 + "\n") * 20,
    ],
    ids=["spaces", "pipes", "open-links", "open-tags", "many-lines"],
)
def test_pathological_bodies_take_linear_time(body):
    start = time.perf_counter()
    tokenize(plain_body(body))
    assert time.perf_counter() - start < 1.0  # generous: linear work here takes milliseconds


def test_plain_body_drops_link_targets_tags_and_table_rules():
    assert plain_body("见[西吉](/towns/xi-ji/)与<b>宁夏</b>\n| --- | :-: |\n正文") == "见[西吉]与]宁夏]\n]\n正文"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_side_passes_the_same_vectors():
    result = subprocess.run(["node", "--test", str(REPO / "tests/js/")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_toneless_readings_are_pypinyins_own():
    from pypinyin import pinyin_dict
    from pypinyin.contrib.tone_convert import to_normal

    from townsite.search.chinese import toneless

    firsts = {toned.split(",")[0] for toned in pinyin_dict.pinyin_dict.values()}
    assert {f: toneless(f) for f in firsts} == {f: to_normal(f) for f in firsts}


def test_the_clients_traditional_characters_are_the_builds():
    """static/search.js/traditional.js converts these before searching; a stale copy would search a
    traditional query unconverted first (same results, more requests). After an OpenCC update:
    python -c "from townsite.search.chinese import traditional_bits; print(traditional_bits())"."""
    script = (REPO / "static/search.js/traditional.js").read_text()
    embedded = re.search(r'TRADITIONAL_BITS = "([A-Za-z0-9+/=]+)"', script)
    assert embedded and embedded.group(1) == traditional_bits()
    bits = base64.b64decode(embedded.group(1))
    low = TRADITIONAL_BLOCK[0]
    flagged = {chr(low + i) for i in range(len(bits) * 8) if bits[i >> 3] >> (i & 7) & 1}
    assert {"鎮", "寧", "聯"} <= flagged and not {"镇", "宁", "联", "西"} & flagged
