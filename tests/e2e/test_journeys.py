"""Visitors' journeys through the served site, by clicking what a visitor would click."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from townsite.model import Entry, Term

from .conftest import BuiltSite, OpenPage
from .server import StaticServer
from .site_pages import MISSING_PATH

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Trip:
    site_title: str
    short_title: str
    town: Entry
    event: Entry
    program: Term


def plan_trip(built: BuiltSite) -> Trip:
    """A town shown on the home page with a related event that belongs to a program."""
    site = built.result.site
    towns = [t for t in site.entries["town"] if t.featured] or site.entries["town"][:6]
    programs = {term.name: term for term in site.taxonomies["program"].terms}
    for town in towns:
        for event in town.related("event"):
            for name in event.programs or []:
                return Trip(built.result.config.title, built.result.config.short_title, town, event, programs[name])
    raise AssertionError("the seed content has no featured town with an event in a program")


def heading(page: Page) -> str:
    return page.locator("h1").inner_text().strip()


def home_to_event(page: Page, server: StaticServer, trip: Trip) -> None:
    """Home → a featured town → its related event, checking each page on the way."""
    assert heading(page) == trip.site_title
    page.get_by_role("region", name="推荐小镇").get_by_role("link", name=trip.town.title, exact=True).click()
    page.wait_for_url(server.url(trip.town.url))
    assert heading(page) == trip.town.title
    expect(page).to_have_title(f"{trip.town.title} · {trip.short_title}")

    page.get_by_role("region", name="相关活动").get_by_role("link", name=trip.event.title, exact=True).click()
    page.wait_for_url(server.url(trip.event.url))
    assert heading(page) == trip.event.title
    # The event leads back to the town it came from.
    expect(page.get_by_role("main").locator(f'a[href="{trip.town.url}"]').first).to_be_visible()


def check_program_page(page: Page, trip: Trip) -> None:
    assert heading(page) == trip.program.name
    expect(page.get_by_role("main").locator(f'a[href="{trip.event.url}"]')).to_have_count(1)


def test_home_town_event_program(open_page: OpenPage, built: BuiltSite, server: StaticServer) -> None:
    trip = plan_trip(built)
    page = open_page("/", reuse=True)
    home_to_event(page, server, trip)
    facts = page.get_by_role("complementary", name="基本信息")
    facts.get_by_role("link", name=trip.program.name, exact=True).click()
    page.wait_for_url(server.url(trip.program.url))
    check_program_page(page, trip)


def test_home_town_event_timeline_program(open_page: OpenPage, built: BuiltSite, server: StaticServer) -> None:
    trip = plan_trip(built)
    page = open_page("/", reuse=True)
    home_to_event(page, server, trip)

    timeline_link = page.get_by_role("navigation", name="主导航").get_by_role("link", name="大事记", exact=True)
    if timeline_link.count() == 0:
        pytest.skip(
            "step event → timeline: the navigation has no 大事记 link yet (the timeline, issue 4, has not landed)"
        )
    timeline_link.click()
    page.wait_for_url(server.url("/timeline/"))
    assert heading(page) == "大事记"
    # The timeline lists the event we came from and names its program.
    main = page.get_by_role("main")
    expect(main.locator(f'a[href="{trip.event.url}"]').first).to_be_visible()
    program_links = main.get_by_role("link", name=trip.program.name, exact=True)
    assert program_links.count() > 0, f"the timeline has no link named {trip.program.name}"
    on_program_page = main.locator(f'a[href="{trip.program.url}"]')
    (on_program_page if on_program_page.count() else program_links).first.click()
    expect(page.locator("h1")).to_contain_text(trip.program.name)


def test_missing_path_gets_the_chinese_404_page(open_page: OpenPage, built: BuiltSite, server: StaticServer) -> None:
    config = built.result.config
    page = open_page(MISSING_PATH, status=404, reuse=True)
    assert heading(page) == "页面未找到"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    expect(page).to_have_title(f"页面未找到 · {config.short_title}")
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    # Its links are root-relative, so they work from any depth of missing path.
    page.get_by_role("main").get_by_role("link", name="返回首页").click()
    page.wait_for_url(server.url("/"))
    assert heading(page) == config.title
