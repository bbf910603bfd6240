"""The shortcuts indexing takes for speed give exactly what the plain definitions give: token
counts, normalizing, traditional -> simplified, pinyin by word, a term's top entries, the
usual spelling of a pinyin term."""

from __future__ import annotations

import random
import unicodedata
from array import array
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from townsite.search import postings
from townsite.search.analysis import normalize, token_counts, tokenize
from townsite.search.chinese import run_pinyin, syllables, t2s_table, to_simplified
from townsite.search.documents import FIELDS, TermCounts, pinyin_spellings
from townsite.search.export import _encoded, _small, varints
from townsite.search.postings import Postings
from townsite.search.scoring import Stats

# Characters the shortcuts treat specially: CJK (simplified, traditional, beyond the basic
# plane), kana, full-width forms and the ideographic space, combining marks, Latin, digits.
ALPHABET = "宁夏西吉鎮後臺重庆行长乐𠀾𠁞あカ한，（）：！Ａｂ０\u3000\u0301\u0308eÉßİ x1-_.\n"
TEXTS = st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=30)


def plain_normalize(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text).lower())


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_token_counts_are_the_counted_tokens(text):
    assert token_counts(text) == Counter(tokenize(text))
    assert normalize(text) == plain_normalize(text)


def test_full_width_forms_are_normalized_as_nfkc_does():
    for text in ["Ａ\u0301", "ｅ\u0308，（ｘ）", "\u3000\u0301", "Ｉ\u0307", "ｓ\u0323\u0307", "（鎮）"]:
        assert normalize(text) == plain_normalize(text), text
    assert token_counts("x" * 50 + " 玫瑰小鎮") == Counter(["x" * 40, "玫瑰", "瑰小", "小镇", "玫", "瑰", "小", "镇"])


def test_conversion_finds_every_convertible_character():
    table = t2s_table()
    for ch, simple in random.Random(3).sample(sorted(table.items()), 300):
        assert to_simplified(f"ab{ch}cd") == f"ab{simple}cd"
    beyond = [ch for ch in table if ord(ch) > 0xFFFF]
    assert beyond and all(to_simplified(ch) == table[ch] for ch in beyond)
    assert to_simplified("𠀀宁夏") == "𠀀宁夏"  # beyond the basic plane, not convertible


def reference_pinyin(run: str) -> tuple[str, ...]:
    """pypinyin on the whole run, as before readings were kept word by word."""
    out = lazy_pinyin(run, style=Style.NORMAL, v_to_u=False, errors=lambda chars: ["" for _ in chars])
    return tuple(s if s in syllables() else "" for s in out)


def test_readings_word_by_word_equal_readings_of_the_whole_run():
    runs = [
        "重庆江阴",
        "银行行长长乐",
        "宁夏西吉玫瑰小镇",
        "中国企业园区国际合作联盟",
        "あ重庆カ한行长",
        "长",
        "乐山大佛",
    ]
    rng = random.Random(7)
    chars = "重庆长行乐中国人民银都会和平调查朝阳还说发地得的了着单曾解区"
    runs += ["".join(rng.choice(chars) for _ in range(rng.randint(1, 12))) for _ in range(300)]
    for run in runs:
        assert run_pinyin(run) == reference_pinyin(run), run


def reference_top(plist: Postings, k: int) -> list[int]:
    ranked = sorted(zip(plist.titles, plist.units, plist.ids, strict=True), key=lambda p: (-p[0], -p[1], p[2]))
    return [doc_id for _, _, doc_id in ranked[:k]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=1, max_size=60), st.integers(1, 25))
def test_top_ranks_as_a_full_sort_does(scores, k):
    """Few distinct scores: ties everywhere, broken by site order."""
    ids = array("i", range(3, 3 + 2 * len(scores), 2))
    units = array("i", [u for u, _ in scores])
    in_title = [(position, title) for position, (_, title) in enumerate(scores) if title]
    plist = Postings(ids, units, in_title)
    assert list(plist.titles) == [title for _, title in scores]
    assert plist.top(k) == reference_top(plist, k)


class _Spelled:
    def __init__(self, spelled):
        self.spelled = spelled


def test_a_pinyin_term_is_spelled_as_it_is_most_often_read_ties_by_code_point():
    docs = [
        _Spelled([("~xi", "西"), ("~xi", "希")]),
        _Spelled([("~xi", "希"), ("^xj", "西吉")]),
        _Spelled([("~xi", "西")]),
    ]
    assert pinyin_spellings(docs) == {"~xi": "希", "^xj": "西吉"}  # 希 < 西, two each


def test_looked_up_varints_are_the_computed_ones():
    assert _small() == [_encoded(n) for n in range(1 << 16)]
    numbers = [0, 127, 128, 16383, 16384, 65535, 65536, 2**21, 2**31 - 1]
    assert varints(numbers) == b"".join(map(_encoded, numbers))


class _Doc:
    def __init__(self, term_counts: dict):
        self.term_counts = term_counts


def _random_docs(rng: random.Random, n: int) -> list[_Doc]:
    vocabulary = [f"t{i}" for i in range(40)] + ["镇", "小镇", "~xi", "^xj"]
    docs = []
    for _ in range(n):
        fields = {}
        for field, _boost in FIELDS:
            size = rng.choice([0, 1, 3, 12, 60]) if field != "title" else rng.choice([0, 2, 4])
            fields[field] = TermCounts(Counter(rng.choice(vocabulary) for _ in range(size)))
        docs.append(_Doc(fields))
    return docs


def test_postings_as_arrays_score_each_posting_as_whoosh_bm25_does(monkeypatch):
    """Every posting of postings_of (scored as numpy arrays, a chunk of documents at a time)
    is the sum over fields of Stats.units, which calls whoosh.scoring.bm25 itself, and its
    title units are the title field's."""
    monkeypatch.setattr(postings, "CHUNK", 7)  # several chunks, one of them partial
    for seed in range(4):
        docs = _random_docs(random.Random(seed), 30 + seed)
        got, stats = postings.postings_of(docs)  # type: ignore[arg-type]
        assert stats == Stats.of([d.term_counts for d in docs])
        expected: dict[str, dict[int, list[int]]] = {}
        for doc_id, doc in enumerate(docs):
            for field, boost in FIELDS:
                counts = doc.term_counts[field]
                length = sum(counts.values())
                for term, tf in counts.items():
                    units = stats.units(field, term, float(tf * boost), length)
                    row = expected.setdefault(term, {}).setdefault(doc_id, [0, 0])
                    row[0] += units
                    row[1] += units if field == "title" else 0
        assert set(got) == set(expected)
        for term, rows in expected.items():
            assert list(got[term]) == [(doc_id, total, title) for doc_id, (total, title) in sorted(rows.items())]
