"""Accessibility of every page type in Chromium: axe-core finds nothing, the page has the
structure assistive technology relies on, and the keyboard alone reaches the navigation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import WIDTHS, BuiltSite, OpenPage
from .site_pages import CORE_KINDS, PAGE_TYPES
from .tools import AXE_JS, need_file

pytestmark = pytest.mark.browser

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return {
    version: result.testEngine.version,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
    })),
  };
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    href: el.getAttribute("href"),
    text: (el.innerText || "").trim().slice(0, 40),
    inNav: el.closest('nav[aria-label="主导航"]') !== null,
    inHeader: el.closest("body > header") !== null,
    outline: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none",
    onScreen: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
      && box.bottom <= innerHeight && box.right <= innerWidth,
  };
}"""
MAX_TABS = 8  # from the skip link to the first navigation link: brand, search box, ...


def readable(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_no_violations(open_page: OpenPage, built: BuiltSite, kind: str, width: int) -> None:
    example = built.example(kind)
    page = open_page(example.path, width, status=example.status, reuse=True)
    page.add_script_tag(path=str(need_file(AXE_JS, "run `npm ci` (scripts/test.sh does it)")))
    report = page.evaluate(AXE_RUN)
    violations = report["violations"]
    if violations:
        pytest.fail(
            f"axe-core {report['version']} on {example.path} at {width}px found {len(violations)} violation(s):\n"
            + readable(violations),
            pytrace=False,
        )


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_structure(open_page: OpenPage, built: BuiltSite, kind: str) -> None:
    example = built.example(kind)
    page = open_page(example.path, status=example.status, reuse=True)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.title().strip()
    h1 = page.locator("h1")
    assert h1.count() == 1, f"{example.path} has {h1.count()} h1 elements"
    assert h1.is_visible()
    if kind in CORE_KINDS:
        assert h1.inner_text().strip() == example.title
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() == 1, f"{example.path}: expected one {role} landmark"
    assert page.get_by_role("navigation", name="主导航").count() == 1
    # The skip link is the first thing the keyboard reaches and points at <main>.
    first = page.locator("body a[href], body button, body input, body [tabindex]").first
    assert first.get_attribute("href") == "#main"
    assert first.inner_text().strip() == "跳到正文"
    assert page.evaluate("document.getElementById('main')?.tagName") == "MAIN"


def focused(page: Page) -> dict[str, Any]:
    return page.evaluate(FOCUSED)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_keyboard_reaches_navigation(open_page: OpenPage, built: BuiltSite, kind: str, width: int) -> None:
    example = built.example(kind)
    page = open_page(example.path, width, status=example.status, reuse=True)

    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["href"] == "#main", f"the first Tab stop is {skip}, not the skip link"
    assert skip["onScreen"] and skip["outline"], f"the focused skip link is not visible with a focus ring: {skip}"
    stops = [skip]
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        assert stops[-1]["outline"], f"no visible focus indicator on {stops[-1]}"
        if stops[-1]["inNav"]:
            break
        if stops[-1]["tag"] == "summary":  # the phone's 菜单 button: Enter opens the navigation
            page.keyboard.press("Enter")
    else:
        pytest.fail(f"{MAX_TABS} Tab presses after the skip link did not reach the navigation: {stops}")
    assert stops[-1]["onScreen"], f"the focused navigation link is off screen: {stops[-1]}"

    # Enter on the skip link moves focus to <main>; the next Tab stop is past the header.
    page.get_by_role("link", name="跳到正文").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#main'")
    assert focused(page)["id"] == "main", f"Enter on the skip link left focus on {focused(page)}"
    page.keyboard.press("Tab")
    after = focused(page)
    assert not after["inHeader"] and after["tag"] != "body", f"Tab after the skip link went to {after}"
