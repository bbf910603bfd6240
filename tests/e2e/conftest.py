"""Fixtures of the browser suite: the real site from content/ built once per session into a temp
folder, served on 127.0.0.1, and one headless Debian Chromium shared by every test in tests/e2e."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REAL_TODAY
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from townsite.engine import BuildResult

from .server import StaticServer
from .site_pages import CORE_KINDS, FEATURE_PAGES, PageType, page_types
from .tools import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, missing

TODAY = REAL_TODAY  # tests/conftest.py: the real content's build date, 2026-11-22
WIDTHS = (375, 1280)  # a phone, a desktop
HEIGHT = 800


@dataclass(frozen=True)
class BuiltSite:
    root: Path
    result: BuildResult
    types: dict[str, PageType]

    def example(self, name: str) -> PageType:
        """The page that stands for one page type; skips for a feature that has not landed."""
        if name not in self.types:
            assert name not in CORE_KINDS, f"the build has no {name!r} page"
            pytest.skip(f"no {FEATURE_PAGES[name]} page in this build yet (the {name} feature has not landed)")
        return self.types[name]


@pytest.fixture(scope="session")
def built(real_site: tuple[BuildResult, Path]) -> BuiltSite:
    """The session's one build of the real content (tests/conftest.py), as of TODAY."""
    result, out = real_site
    return BuiltSite(out, result, page_types(result))


@pytest.fixture(scope="session")
def server(built: BuiltSite) -> Iterator[StaticServer]:
    with StaticServer(built.root) as running:
        yield running


# Package scope: one browser for all of tests/e2e, closed when the package is done, because
# Playwright's sync API cannot start while another instance runs (tests outside tests/e2e
# start their own).
@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        missing("Debian's Chromium", "apt-get install chromium fonts-wqy-zenhei (scripts/test.sh does it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """test-artifacts/screenshots/ (git-ignored): <page type>-<width>px.png, overwritten each run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


OpenPage = Callable[..., Page]


@pytest.fixture(scope="package")
def contexts(chromium: Browser) -> Iterator[dict[int, BrowserContext]]:
    """One browser context per screen width, shared by the package."""
    by_width: dict[int, BrowserContext] = {}
    yield by_width
    for context in by_width.values():
        context.close()


@pytest.fixture(scope="package")
def tabs() -> dict[int, Page]:
    """One reusable tab per width, for tests that only load pages, read them, type and click."""
    return {}


@pytest.fixture
def open_page(
    chromium: Browser, contexts: dict[int, BrowserContext], tabs: dict[int, Page], server: StaticServer
) -> Iterator[OpenPage]:
    """open_page(path, width=1280, status=200, reuse=False): the page loaded in a tab of that width
    and its HTTP status checked. A new tab, closed after the test, unless `reuse`: then the
    width's shared tab, which saves a renderer start per test (~0.3 s) and suits any test that
    adds no routes, init scripts or exposed functions to it."""
    opened: list[Page] = []

    def open_(path: str, width: int = 1280, status: int = 200, reuse: bool = False) -> Page:
        if width not in contexts:
            contexts[width] = chromium.new_context(viewport={"width": width, "height": HEIGHT}, locale="zh-CN")
        if reuse:
            if width not in tabs or tabs[width].is_closed():
                tabs[width] = contexts[width].new_page()
            page = tabs[width]
            page.mouse.move(0, HEIGHT - 1)  # no hover left over from the last test's click
        else:
            page = contexts[width].new_page()
            opened.append(page)
        response = page.goto(server.url(path))
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        page.evaluate("document.fonts.ready.then(() => true)")
        return page

    yield open_
    for page in opened:
        page.close()
