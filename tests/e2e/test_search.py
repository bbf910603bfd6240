"""Search in a real browser against the built seed site: the results Whoosh ranks, filters
with counts in the URL, Back, the keyboard, the header box, no-JS, hostile titles, and the
queries of issue #11 typed as visitors type them (words without spaces, one character,
traditional characters, pinyin, a homophone typo, a word only a body mentions) with their
highlights and excerpts, on a desktop and on a phone."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import Page, expect

from townsite.search.record_index import index_of_record

from .server import StaticServer

pytestmark = pytest.mark.browser


def search(page: Page, query: str) -> None:
    box = page.locator("#search-q")
    box.fill(query)
    box.press("Enter")
    expect(page.locator("#search-status")).not_to_have_text(re.compile("正在搜索|^$"))
    status = page.locator("#search-status").inner_text()
    if status.startswith("找到") or "部分" in status or "读音相同" in status:
        expect(page.locator(".search-result").first).to_be_visible()


def titles(page: Page) -> list[str]:
    return page.locator(".search-result-title").all_inner_texts()


@pytest.fixture(scope="module")
def whoosh(built):
    return index_of_record(built.result.search.docs, built.root.parent / "search-cache")  # beside site/, not in it


@pytest.mark.parametrize("query", ["西吉", "玫瑰小镇", "PPP", "峰会 北京"])
def test_results_are_whooshs_top_10_in_order(open_page, whoosh, query):
    page = open_page("/search/")
    search(page, query)
    hits = whoosh.search(query).hits
    expected = [whoosh.docs[h.doc_id].display["title"] for h in hits[:10]]
    assert expected, f"the seed content should have hits for {query!r}"
    expect(page.locator(".search-result")).to_have_count(len(expected))
    assert titles(page) == expected
    assert f"找到 {len(hits)} 条结果" in page.locator("#search-status").inner_text()


def test_matched_words_are_highlighted_and_results_link_to_entries(open_page):
    page = open_page("/search/")
    search(page, "西吉")
    first = page.locator(".search-result").first
    expect(first.locator("mark").first).to_be_visible()
    assert "西吉" in first.locator("mark").all_inner_texts()
    href = first.locator("a").get_attribute("href")
    assert href.startswith("/") and href.endswith("/")
    assert first.locator(".search-result-meta").inner_text().split(" · ")[0] in {"特色小镇", "产业园区", "活动", "页面"}


def test_filter_goes_into_the_url_and_back_restores(open_page):
    page = open_page("/search/")
    search(page, "西吉")
    unfiltered = titles(page)
    kind = page.locator("select[name=kind]")
    label = kind.locator("option[value=event]").inner_text()
    count = int(re.search(r"（(\d+)）", label).group(1))
    assert 0 < count < len(page.locator("#search-status").inner_text()) + 1000
    kind.select_option("event")
    expect(page).to_have_url(re.compile(r"/search/\?q=%E8%A5%BF%E5%90%89&kind=event$"))
    expect(page.locator(".search-result")).to_have_count(min(count, 10))
    metas = page.locator(".search-result-meta").all_inner_texts()
    assert all(m.startswith("活动") for m in metas)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/search/\?q=%E8%A5%BF%E5%90%89$"))
    expect(page.locator(".search-result")).to_have_count(len(unfiltered))
    assert titles(page) == unfiltered


def test_a_shared_url_restores_query_and_filters(open_page):
    page = open_page("/search/?q=%E8%A5%BF%E5%90%89&kind=park")
    expect(page.locator("#search-q")).to_have_value("西吉")
    expect(page.locator("select[name=kind]")).to_have_value("park")
    expect(page.locator(".search-result").first).to_be_visible()
    assert all(m.startswith("产业园区") for m in page.locator(".search-result-meta").all_inner_texts())


def test_keyboard_type_arrow_enter(open_page):
    page = open_page("/search/")
    search(page, "玫瑰小镇")
    page.locator("#search-q").focus()
    page.keyboard.press("ArrowDown")
    first = page.locator(".search-result a").first
    expect(first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".search-result a").nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()
    target = first.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))


def test_header_box_leads_to_results(open_page):
    page = open_page("/")
    page.locator("#site-search-q").fill("丽江")
    page.locator("#site-search-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%E4%B8%BD%E6%B1%9F$"))
    expect(page.locator(".search-result").first).to_contain_text("丽江")


def test_partial_matches_are_announced(open_page):
    page = open_page("/search/")
    search(page, "玫瑰 xyzzy")
    expect(page.locator("#search-status")).to_contain_text("部分词语")
    expect(page.locator(".search-result").first).to_be_visible()
    search(page, "xyzzy")
    expect(page.locator("#search-status")).to_contain_text("没有找到")
    expect(page.locator(".search-result")).to_have_count(0)


def test_without_javascript_the_page_says_so_and_links_to_lists(chromium, server):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url("/search/?q=西吉"))
        expect(page.locator(".search-needs-js")).to_be_visible()
        expect(page.locator(".search-needs-js a[href='/towns/']")).to_be_visible()
        expect(page.locator(".search-result")).to_have_count(0)
    finally:
        context.close()


HOSTILE_TITLE = """<img src=x onerror="window.__pwned=1">毒药标题</script><script>window.__pwned=2</script>"""


def test_hostile_titles_are_shown_as_text_not_run(chromium, tmp_path):
    from conftest import copy_project

    project = copy_project("mini", tmp_path / "proj")
    shutil.rmtree(project.root / "content/events")
    project.write(
        "content/events/evil.md",
        f"""---
title: '{HOSTILE_TITLE}'
slug: evil
summary: '<svg onload="window.__pwned=3">摘要 " onmouseover="window.__pwned=4'
date: 2016-11-18
event_type: 峰会
---

<script>window.__pwned=5</script>正文
""",
    )
    project.build()
    with StaticServer(project.site) as server:
        context = chromium.new_context()
        try:
            page = context.new_page()
            page.goto(server.url("/search/?q=毒药"))
            result = page.locator(".search-result").first
            expect(result).to_be_visible()
            assert result.locator(".search-result-title").inner_text() == HOSTILE_TITLE
            assert "onmouseover" in result.locator(".search-result-excerpt").inner_text()
            assert result.locator("img, script, svg").count() == 0
            assert page.evaluate("window.__pwned") is None
        finally:
            context.close()


def type_query(page: Page, query: str) -> None:
    """Types like a visitor (key by key, no Enter): results follow the typing."""
    box = page.locator("#search-q")
    box.fill("")
    box.press_sequentially(query, delay=20)
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query)
    expect(page.locator("#search-status")).not_to_have_text(re.compile("正在搜索|^$|请输入"))


def first_result(page: Page):
    result = page.locator(".search-result").first
    expect(result).to_be_visible()
    return result


@pytest.mark.parametrize(
    ("query", "status", "title", "marked"),
    [
        ("扶贫峰会", "找到", "首届中国企业扶贫（西吉）峰会", {"扶贫", "峰会"}),
        ("园区联盟", "找到", "中国企业园区国际合作联盟", {"园区", "联盟"}),
        ("牛", "找到", "安格斯肉牛扶贫繁育基地及加工项目", {"牛"}),
        ("玫瑰小鎮", "按简体“玫瑰小镇”", "丽江九色玫瑰小镇", {"玫瑰小镇"}),
        ("xiji", "按拼音", "西吉", {"西吉"}),
        ("xi ji", "按拼音", "西吉", {"西吉"}),
        ("jiangyin", "按拼音", "江阴", {"江阴"}),
    ],
)
def test_the_issue_rows_as_typed(open_page, whoosh, query, status, title, marked):
    page = open_page("/search/")
    type_query(page, query)
    text = page.locator("#search-status").inner_text()
    assert status in text and "部分" not in text, text
    result = first_result(page)
    assert title in result.locator(".search-result-title").inner_text()
    assert marked <= set(result.locator("mark").all_inner_texts())
    outcome = whoosh.search(query)
    expected = [whoosh.docs[h.doc_id].display["title"] for h in outcome.hits[:10]]
    expect(page.locator(".search-result")).to_have_count(len(expected))
    assert titles(page) == expected


def test_a_homophone_typo_offers_the_query_meant(open_page):
    page = open_page("/search/")
    type_query(page, "西及")
    expect(page.locator("#search-status")).to_contain_text("您要找的是：西吉")
    assert "西吉" in first_result(page).locator(".search-result-title").inner_text()
    page.locator(".search-suggestion").click()
    expect(page).to_have_url(re.compile(r"\?q=%E8%A5%BF%E5%90%89$"))
    expect(page.locator("#search-q")).to_have_value("西吉")
    expect(page.locator("#search-status")).to_contain_text("找到")


def test_a_word_only_a_body_mentions_is_shown_where_it_occurs(open_page):
    page = open_page("/search/")
    type_query(page, "宜宾")
    alliance = page.locator(".search-result", has_text="中国企业园区国际合作联盟").filter(
        has_not=page.locator(".search-result-title mark")
    )
    expect(alliance).to_have_count(1)
    excerpt = alliance.locator(".search-result-excerpt")
    expect(excerpt.locator("mark")).to_have_text(["宜宾"])  # excerpts arrive after the hits
    assert "宜宾翠屏" in excerpt.inner_text()


def test_only_whole_words_are_marked_not_their_characters(open_page):
    page = open_page("/search/")
    type_query(page, "玫瑰小镇")
    expect(page.locator(".search-result-excerpt mark").first).to_be_visible()  # excerpts arrive after the hits
    marks = set(page.locator(".search-result mark").all_inner_texts())
    assert marks and all(len(m) >= 2 for m in marks), marks


def test_on_a_phone_the_first_result_is_on_the_first_screen(chromium, server):
    context = chromium.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(server.url("/search/"))
        expect(page.locator(".search-help")).to_be_hidden()  # no keyboard hint on a touch screen
        type_query(page, "西吉")
        title = first_result(page).locator(".search-result-title")
        box = title.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 667, box
        assert page.evaluate("window.scrollY") == 0
    finally:
        context.close()


def test_with_a_keyboard_the_hint_is_shown(open_page):
    page = open_page("/search/")
    expect(page.locator(".search-help")).to_be_visible()
