"""镇企对接 in Chromium: the directory filters in place and keeps its filters in the URL (Back and
reload restore them); without JavaScript the filter links lead to static pages; the Xiji town
page shows who could help it and why."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from .conftest import HEIGHT, BuiltSite, OpenPage
from .server import StaticServer

XIJI = "/towns/xi-ji-he-ping-mei-gui-xiao-zhen/"


def visible_rows(page) -> int:
    return page.locator("#duijie-rows > li:visible").count()


def test_the_directory_filters_in_place_and_keeps_the_filters_in_the_url(open_page: OpenPage, server: StaticServer):
    page = open_page("/duijie/")
    form = page.locator("#duijie-form")
    expect(form).to_be_visible()
    expect(page.locator("nav.duijie-filters")).to_be_hidden()
    total = page.locator("#duijie-rows > li").count()
    assert visible_rows(page) == total
    expect(page.locator("#duijie-status")).to_have_text(f"共 {total} 条")

    poverty = page.locator('#duijie-rows > li[data-industry~="chan-ye-fu-pin"]').count()
    assert 0 < poverty < total
    form.get_by_label("产业").select_option("chan-ye-fu-pin")
    assert visible_rows(page) == poverty
    expect(page.locator("#duijie-status")).to_have_text(f"共 {poverty} 条")
    assert page.url.endswith("/duijie/?industry=chan-ye-fu-pin")

    form.get_by_label("类别").select_option("need")
    needs = page.locator('#duijie-rows > li[data-industry~="chan-ye-fu-pin"][data-side="need"]').count()
    assert visible_rows(page) == needs >= 1
    assert "side=need" in page.url and "industry=chan-ye-fu-pin" in page.url
    # The other dimensions' counts follow the filters: 招商需求 under 产业扶贫.
    expect(form.get_by_label("类别").locator('option[value="need"]')).to_have_text(f"招商需求（{needs}）")

    page.go_back()
    assert page.url.endswith("/duijie/?industry=chan-ye-fu-pin")
    assert visible_rows(page) == poverty
    page.reload()
    expect(form.get_by_label("产业")).to_have_value("chan-ye-fu-pin")
    assert visible_rows(page) == poverty


def test_without_javascript_the_filter_links_lead_to_static_pages(chromium: Browser, server: StaticServer):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": HEIGHT})
    try:
        page = context.new_page()
        page.goto(server.url("/duijie/"))
        expect(page.locator("#duijie-form")).to_be_hidden()
        filters = page.get_by_role("navigation", name="筛选")
        filters.get_by_role("link", name="产业扶贫", exact=True).click()
        page.wait_for_url(server.url("/duijie/industry/chan-ye-fu-pin/"))
        rows = page.locator("#duijie-rows > li")
        assert rows.count() >= 2
        for i in range(rows.count()):
            assert "chan-ye-fu-pin" in (rows.nth(i).get_attribute("data-industry") or "")
    finally:
        context.close()


def test_the_xiji_town_page_shows_who_could_help_and_why(open_page: OpenPage, built: BuiltSite):
    page = open_page(XIJI, reuse=True)
    section = page.locator("#need-1")
    expect(section.get_by_role("heading", name="推荐对接")).to_be_visible()
    expect(section.locator(".duijie-matches")).to_contain_text("中国企业扶贫联盟")
    expect(section.locator(".duijie-matches")).to_contain_text("共同产业：产业扶贫")
    expect(section.locator(".duijie-matches")).to_contain_text("意向地区：宁夏")
    closed = page.locator("#need-3")
    expect(closed).to_contain_text("已结束")
    assert closed.locator(".duijie-matches").count() == 0
