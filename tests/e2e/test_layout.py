"""Every page type on a phone (375 px) and a desktop (1280 px): nothing scrolls sideways, the
navigation is on screen and works (on the phone behind one 菜单 button, with a header at most
120 px tall), and a full-page screenshot is kept as a test artifact. Cards are tappable as a
whole; the search box's placeholder fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HEIGHT, WIDTHS, BuiltSite, OpenPage
from .server import StaticServer
from .site_pages import PAGE_TYPES

pytestmark = pytest.mark.browser

# Each navigation link: its box, and whether a click at its centre lands on it (nothing covers it).
NAV_LINKS = """() => [...document.querySelectorAll('nav[aria-label="主导航"] a')].map(a => {
  const box = a.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  const style = getComputedStyle(a);
  return {
    text: a.innerText.trim(), href: a.getAttribute("href"), current: a.getAttribute("aria-current"),
    left: box.left, right: box.right, top: box.top, bottom: box.bottom, width: box.width, height: box.height,
    shown: style.visibility === "visible" && style.display !== "none" && Number(style.opacity) > 0
      && a.checkVisibility({contentVisibilityAuto: true}),
    hit: hit !== null && a.contains(hit),
  };
})"""
CORE_NAV = ["首页", "特色小镇", "产业园区", "活动", "工程", "省份"]
PHONE_HEADER = 120  # px, at most, on a 375 x 667 screen
# The placeholder's width in the input's font, and the room the input gives it.
PLACEHOLDER = """() => {
  const input = document.querySelector("#site-search-q");
  if (!input) return null;
  const style = getComputedStyle(input);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [context.measureText(input.placeholder).width, room];
}"""


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_fits_the_screen_with_usable_navigation(
    open_page: OpenPage, built: BuiltSite, server: StaticServer, screenshots: Path, kind: str, width: int
) -> None:
    example = built.example(kind)
    page = open_page(example.path, width, status=example.status, reuse=True)
    page.screenshot(path=str(screenshots / f"{kind}-{width}px.png"), full_page=True)

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll_width <= inner_width, f"{example.path} at {width}px scrolls sideways: {scroll_width}px wide"

    header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    menu = page.locator("details.nav-menu > summary")
    if width < 768:
        assert header <= PHONE_HEADER, f"{example.path}: the header is {header}px tall on a phone"
        assert not any(link["shown"] for link in page.evaluate(NAV_LINKS)), "the phone navigation starts folded"
        menu.click()  # <details>: opens without JavaScript
    else:
        assert not menu.is_visible()
    placeholder = page.evaluate(PLACEHOLDER)
    if placeholder is not None:
        assert placeholder[0] <= placeholder[1], f"the search placeholder is cut at {width}px: {placeholder}"

    links = page.evaluate(NAV_LINKS)
    texts = [link["text"] for link in links]
    assert [t for t in texts if t in CORE_NAV] == CORE_NAV, f"navigation at {width}px: {texts}"
    for link in links:
        assert link["shown"] and link["width"] > 0 and link["height"] >= 24, f"not visible/too small: {link}"
        assert link["left"] >= 0 and link["right"] <= inner_width, f"outside the {width}px screen: {link}"
        assert link["top"] >= 0 and link["bottom"] <= HEIGHT, f"below the fold: {link}"
        assert link["hit"], f"covered, a click would not reach it: {link}"

    # A click on a navigation link leads to its page.
    target = next(link for link in links if not link["current"] and link["href"] != "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=target["text"], exact=True).click()
    page.wait_for_url(server.url(target["href"]))
    assert page.locator("h1").first.is_visible()


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
def test_a_whole_card_is_tappable(open_page: OpenPage, server: StaticServer, width: int) -> None:
    page = open_page("/towns/", width)
    card = page.locator(".card").first
    href = card.locator(".card-title a").get_attribute("href")
    box = card.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] - 8, box["y"] + box["height"] - 8)  # the summary's corner
    page.wait_for_url(server.url(href or ""))


def test_the_phone_menu_opens_and_closes_without_javascript(chromium, server: StaticServer) -> None:
    context = chromium.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url("/"))
        nav = page.get_by_role("navigation", name="主导航")
        assert not nav.get_by_role("link", name="大事记").is_visible()
        page.locator("details.nav-menu > summary").click()
        assert nav.get_by_role("link", name="大事记").is_visible()
        page.locator("details.nav-menu > summary").click()
        assert not nav.get_by_role("link", name="大事记").is_visible()
    finally:
        context.close()
