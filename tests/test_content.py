"""The real content in content/: it builds, and the facts from the seed articles are there."""

from __future__ import annotations

import datetime as dt

import pytest
from sitecheck import broken_links


@pytest.fixture(scope="module")
def real(real_site):
    """The session's one build of the real content, as of 2026-11-22 (tests/conftest.py)."""
    return real_site


def test_every_dated_event_of_the_seeds_is_an_entry(real):
    result, _ = real
    events = {(e.date.isoformat(), (e.end or e.date).isoformat()) for e in result.site.entries["event"]}
    expected = {
        ("2015-07-12", "2015-07-12"), ("2015-09-12", "2015-09-12"), ("2015-11-12", "2015-11-12"),
        ("2015-12-10", "2015-12-10"), ("2016-06-26", "2016-06-26"), ("2016-07-28", "2016-07-29"),
        ("2016-09-06", "2016-09-07"), ("2016-09-23", "2016-09-23"), ("2016-10-01", "2016-10-01"),
        ("2016-11-18", "2016-11-18"), ("2016-11-23", "2016-11-23"), ("2017-01-08", "2017-01-08"),
    }  # fmt: skip
    assert expected <= events
    assert sum(e.date == dt.date(2016, 6, 26) for e in result.site.entries["event"]) >= 2


def test_towns_parks_and_programs_of_the_seeds(real):
    result, _ = real
    towns = {t.title for t in result.site.entries["town"]}
    assert {"丽江九色玫瑰小镇", "西吉长征胜利会师和平玫瑰小镇", "江阴和平玫瑰特色小镇"} <= towns
    parks = " ".join(p.title for p in result.site.entries["park"])
    for name in ("吉德慈善产业园", "将军纪念馆", "油用牡丹", "安格斯肉牛", "电商扶贫"):
        assert name in parks
    programs = {t.name: t for t in result.site.taxonomies["program"].terms}
    assert set(programs) == {"千企千镇工程", "双十双百工程", "一带一路和平玫瑰园区建设计划", "百企百村互助行动"}
    assert all(term.page is not None for term in programs.values())


def test_the_xiji_entries_are_linked_both_ways(real):
    result, _ = real
    summit = next(e for e in result.site.entries["event"] if e.date == dt.date(2016, 11, 18))
    town = next(t for t in result.site.entries["town"] if t.title.startswith("西吉"))
    assert town in summit.towns
    assert summit in town.related("event")
    assert len(summit.parks) == 5
    assert "百企百村互助行动" in summit.programs
    lijiang = next(t for t in result.site.entries["town"] if t.title.startswith("丽江"))
    assert lijiang.opened == dt.date(2016, 10, 1)


def test_figures_are_carried_over(real):
    _, out = real
    text = "".join(p.read_text() for p in out.rglob("*.html"))
    for figure in ("140亿元", "20万亩", "500", "1000", "19家"):
        assert figure in text, figure


def test_the_real_site_has_no_broken_internal_links(real):
    _, out = real
    assert broken_links(out, "/") == []
