"""Matching needs and offers: the rule, its reasons in words, determinism and linear work."""

from __future__ import annotations

import random

import pytest

from townsite import matching
from townsite.matching import MAX_SCAN, SHORTLIST, TOP, NeedItem, OfferItem, match, score


def need(key="town/xi-ji#1", province="宁夏", industries=("产业扶贫",), partners=("运营方",), programs=(), open=True):
    return NeedItem(key, key.split("#")[0], province, tuple(industries), tuple(partners), tuple(programs), open)


def offer(key="org/a#1", industries=("产业扶贫",), partners=("运营方",), regions=("宁夏",), programs=()):
    return OfferItem(key, key.split("#")[0], tuple(industries), tuple(partners), tuple(regions), tuple(programs))


def test_a_match_says_why_in_words():
    found = score(
        need(industries=("文化旅游", "产业扶贫"), partners=("投资方", "运营方"), programs=("千企千镇工程",)),
        offer(industries=("产业扶贫", "文化旅游"), partners=("运营方",), programs=("千企千镇工程", "双十双百工程")),
    )
    assert found is not None
    assert found.reasons == ("共同产业：文化旅游、产业扶贫", "合作方式：运营方", "同属：千企千镇工程", "意向地区：宁夏")
    assert found.score == 10 * 2 + 5 + 3 + 4


def test_nationwide_offers_fit_every_province_but_rank_below_named_ones():
    nationwide = score(need(), offer(regions=("全国",)))
    named = score(need(), offer(regions=("宁夏", "云南")))
    assert nationwide is not None and named is not None
    assert nationwide.reasons[-1] == "意向地区：全国"
    assert named.score > nationwide.score


@pytest.mark.parametrize(
    "changed",
    [
        {"regions": ("贵州", "安徽")},  # another region
        {"industries": ("健康养老",)},  # no shared industry
        {"partners": ("金融服务",)},  # no shared partner kind
    ],
)
def test_an_offer_that_does_not_fit_is_not_matched(changed):
    assert score(need(), offer(**changed)) is None


def test_closed_needs_are_never_matched():
    result = match([need(open=False)], [offer()])
    assert result.for_need == {}
    assert result.for_offer["org/a#1"] == ()


def test_both_directions_and_one_match_per_owner():
    needs = [need("town/a#1"), need("town/a#2", industries=("产业扶贫", "电商")), need("park/b#1")]
    offers = [offer("org/x#1"), offer("org/x#2", partners=("运营方", "投资方")), offer("org/y#1", regions=("全国",))]
    result = match(needs, offers)
    # town/a#1 sees org/x once (its better offer #2 is no better here: same score, smaller key wins), and org/y
    assert [m.offer for m in result.for_need["town/a#1"]] == ["org/x#1", "org/y#1"]
    # org/x#1 sees each town or park once: town/a by its best need
    assert [m.need for m in result.for_offer["org/x#1"]] == ["park/b#1", "town/a#1"]


def test_same_input_in_any_order_same_matches():
    rng = random.Random(7)
    industries = ["文化旅游", "产业扶贫", "电商", "健康养老"]
    provinces = ["宁夏", "云南", "江苏"]
    partners = ["投资方", "运营方", "技术"]
    needs = [
        need(f"town/t{i}#1", rng.choice(provinces), rng.sample(industries, 2), rng.sample(partners, 2))
        for i in range(60)
    ]
    offers = [
        offer(f"org/o{i}#1", rng.sample(industries, 2), rng.sample(partners, 1), rng.sample([*provinces, "全国"], 2))
        for i in range(60)
    ]
    first = match(needs, offers)
    for _ in range(3):
        rng.shuffle(needs)
        rng.shuffle(offers)
        assert match(needs, offers) == first
    assert all(len(found) <= TOP for found in first.for_need.values())


def _corpus(n: int) -> tuple[list[NeedItem], list[OfferItem]]:
    rng = random.Random(n)
    industries = [f"产业{i}" for i in range(30)]
    provinces = [f"省{i}" for i in range(34)]
    partners = ["投资方", "运营方", "技术", "渠道", "金融服务"]
    needs = [need(f"town/t{i}#1", rng.choice(provinces), rng.sample(industries, 2), rng.sample(partners, 2))
             for i in range(n)]  # fmt: skip
    offers = [offer(f"org/o{i}#1", rng.sample(industries, 3), rng.sample(partners, 2),
                    rng.sample([*provinces, "全国"], 2)) for i in range(n)]  # fmt: skip
    return needs, offers


def test_work_is_bounded_per_item_even_when_everything_fits_everything(monkeypatch):
    calls = 0
    real = matching.score

    def counting(n, o):
        nonlocal calls
        calls += 1
        return real(n, o)

    monkeypatch.setattr(matching, "score", counting)
    same = [need(f"town/t{i}#1") for i in range(2000)]
    offers = [offer(f"org/o{i}#1", regions=("全国",)) for i in range(2000)]
    result = match(same, offers)
    assert calls <= SHORTLIST * (len(same) + len(offers))
    assert len(same) * len(offers) > MAX_SCAN
    assert len(result.for_need["town/t0#1"]) == TOP


def test_matching_work_grows_linearly(monkeypatch):
    """Counted, not timed: the pairs scored at 5,000 needs and offers are about twice those at
    2,500 (all pairs would be four times)."""
    calls = {"n": 0}
    real = matching.score

    def counting(n, o):
        calls["n"] += 1
        return real(n, o)

    monkeypatch.setattr(matching, "score", counting)
    work = {}
    for n in (2500, 5000):
        calls["n"] = 0
        match(*_corpus(n))
        work[n] = calls["n"]
    assert work[5000] < 2.2 * work[2500]
    assert work[5000] <= SHORTLIST * 2 * 5000
