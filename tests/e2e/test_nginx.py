"""The site as operators publish it: built with `--base-url http://127.0.0.1:<port>/showcase/` and
served by Debian's nginx with the sample configuration deploy/nginx.conf (tests/e2e/nginx.py). The
key visitor journeys, search and the 404 page in Chromium, and what the configuration promises
over HTTP: MIME types, compression, cache lifetimes and safe headers."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message

import pytest
from playwright.sync_api import Browser, Page, expect

from townsite.engine import build
from townsite.options import BuildOptions
from townsite.search.record_index import index_of_record

from .conftest import TODAY, BuiltSite, OpenPage
from .nginx import NGINX, SUBPATH, Nginx, free_port
from .site_pages import MISSING_PATH, page_types
from .test_journeys import heading, plan_trip
from .tools import REPO, missing

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


# These two replace the e2e suite's `built` and `server` for this module, so `open_page` loads
# pages from nginx: open_page("/towns/") fetches http://127.0.0.1:<port>/showcase/towns/.
@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, port: int) -> BuiltSite:
    out = tmp_path_factory.mktemp("nginx-site") / "site"
    base_url = f"http://127.0.0.1:{port}{SUBPATH}"
    result = build(BuildOptions(root=REPO, out_dir=out, today=TODAY, base_url=base_url, check_links=True))
    return BuiltSite(out, result, page_types(result))


@pytest.fixture(scope="module")
def server(built: BuiltSite, tmp_path_factory: pytest.TempPathFactory, port: int) -> Iterator[Nginx]:
    if not NGINX.is_file():
        missing("Debian's nginx", "apt-get install nginx (scripts/test.sh does it)")
    with Nginx(built.root, tmp_path_factory.mktemp("nginx"), port) as running:
        yield running


def under_subpath(path: str) -> str:
    return SUBPATH.rstrip("/") + path


def test_home_town_event_program_timeline(open_page: OpenPage, built: BuiltSite, server: Nginx) -> None:
    trip = plan_trip(built)
    page = open_page("/", reuse=True)
    assert heading(page) == trip.site_title
    page.get_by_role("region", name="推荐小镇").get_by_role("link", name=trip.town.title, exact=True).click()
    page.wait_for_url(server.url(trip.town.url))
    assert heading(page) == trip.town.title
    page.get_by_role("region", name="相关活动").get_by_role("link", name=trip.event.title, exact=True).click()
    page.wait_for_url(server.url(trip.event.url))
    expect(page.get_by_role("main").locator(f'a[href="{under_subpath(trip.town.url)}"]').first).to_be_visible()
    page.get_by_role("complementary", name="基本信息").get_by_role("link", name=trip.program.name, exact=True).click()
    page.wait_for_url(server.url(trip.program.url))
    assert heading(page) == trip.program.name
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="大事记", exact=True).click()
    page.wait_for_url(server.url("/timeline/"))
    expect(page.get_by_role("main").locator(f'a[href="{under_subpath(trip.event.url)}"]').first).to_be_visible()


def test_missing_path_gets_the_sites_404_page(open_page: OpenPage, built: BuiltSite, server: Nginx) -> None:
    page = open_page(MISSING_PATH, status=404, reuse=True)
    assert heading(page) == "页面未找到"
    expect(page).to_have_title(f"页面未找到 · {built.result.config.short_title}")
    page.get_by_role("main").get_by_role("link", name="返回首页").click()
    page.wait_for_url(server.url("/"))
    assert heading(page) == built.result.config.title


def search(page: Page, query: str) -> None:
    page.locator("#search-q").fill(query)
    page.locator("#search-q").press("Enter")
    expect(page.locator("#search-status")).not_to_have_text(re.compile("正在搜索|^$"))


def test_search_ranks_as_whoosh_and_leads_to_the_entry(open_page: OpenPage, built: BuiltSite, server: Nginx) -> None:
    whoosh = index_of_record(built.result.search.docs, built.root.parent / "search-cache")  # beside site/, not in it
    hits = whoosh.search("玫瑰小镇").hits
    expected = [whoosh.docs[h.doc_id].display["title"] for h in hits[:10]]
    page = open_page("/search/")
    search(page, "玫瑰小镇")
    expect(page.locator(".search-result")).to_have_count(len(expected))
    assert page.locator(".search-result-title").all_inner_texts() == expected
    first = page.locator(".search-result a").first
    href = first.get_attribute("href") or ""
    assert href.startswith(SUBPATH), href
    first.click()
    page.wait_for_url(server.base + href.removeprefix(SUBPATH.rstrip("/")))
    assert heading(page) == expected[0]


def test_header_search_box_under_the_subpath(open_page: OpenPage, server: Nginx) -> None:
    page = open_page("/towns/", reuse=True)
    page.locator("#site-search-q").fill("丽江")
    page.locator("#site-search-q").press("Enter")
    expect(page).to_have_url(server.url("/search/?q=%E4%B8%BD%E6%B1%9F"))
    expect(page.locator(".search-result").first).to_contain_text("丽江")


RECORD_CSP = """window.__refused = [];
document.addEventListener("securitypolicyviolation", (e) => window.__refused.push(e.violatedDirective + " " + e.blockedURI));"""


def test_every_page_type_keeps_within_the_content_security_policy(
    chromium: Browser, built: BuiltSite, server: Nginx
) -> None:
    """Nothing a page needs (scripts, styles, pictures, the search files) is refused by the CSP the
    sample sends; the search page is loaded with a query so that it fetches its shards."""
    context = chromium.new_context()
    context.add_init_script(RECORD_CSP)
    refused: dict[str, list[str]] = {}
    try:
        page = context.new_page()
        for name, kind in sorted(built.types.items()):
            response = page.goto(server.url(kind.path + ("?q=%E7%8E%AB%E7%91%B0" if name == "search" else "")))
            assert response is not None and response.status == kind.status, name
            if name == "search":
                expect(page.locator(".search-result").first).to_be_visible()
            found = page.evaluate("window.__refused")
            if found:
                refused[name] = found
    finally:
        context.close()
    assert not refused, refused


# Over HTTP, without a browser: what deploy/nginx.conf promises.


def fetch(url: str, gzip_ok: bool = False) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def one(built: BuiltSite, pattern: str) -> str:
    """The site path of the first output file matching a glob, e.g. 'static/style.*.css'."""
    found = sorted(built.root.glob(pattern))
    assert found, f"the build has no {pattern}"
    return "/" + found[0].relative_to(built.root).as_posix()


def test_types_and_cache_lifetimes(built: BuiltSite, server: Nginx) -> None:
    expectations = {  # path: (Content-Type starts with, Cache-Control)
        "/": ("text/html; charset=utf-8", "no-cache"),
        "/events.ics": ("text/calendar; charset=utf-8", "no-cache"),
        "/feed.xml": ("text/xml", "no-cache"),
        one(built, "static/style.*.css"): ("text/css", "public, max-age=31536000, immutable"),
        one(built, "static/search.*.js"): ("application/javascript", "public, max-age=31536000, immutable"),
        "/search/manifest.bin": ("application/octet-stream", "public, max-age=604800"),
        one(built, "search/t/*.bin"): ("application/octet-stream", "public, max-age=604800"),
    }
    pictures = sorted(built.root.glob("images/*.webp"))  # covers and galleries, once they are built
    if pictures:
        expectations[one(built, "images/*.webp")] = ("image/webp", "public, max-age=31536000, immutable")
    for path, (content_type, cache) in expectations.items():
        status, headers, _ = fetch(server.url(path))
        assert status == 200, path
        assert headers["Content-Type"].startswith(content_type), (path, headers["Content-Type"])
        assert headers["Cache-Control"] == cache, (path, headers["Cache-Control"])
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert "default-src 'self'" in headers["Content-Security-Policy"], path


def test_compression_and_the_pre_gzipped_search_files(built: BuiltSite, server: Nginx) -> None:
    status, headers, body = fetch(server.url("/"), gzip_ok=True)
    assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == (built.root / "index.html").read_bytes()
    status, headers, body = fetch(server.url("/search/manifest.bin"), gzip_ok=True)
    assert status == 200 and headers["Content-Encoding"] is None  # search.js inflates it itself
    assert body == (built.root / "search" / "manifest.bin").read_bytes()


def test_svg_may_not_run_script(built: BuiltSite, server: Nginx) -> None:
    status, headers, _ = fetch(server.url(one(built, "static/*.svg")))
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy


def test_folders_redirect_relative_and_missing_files_get_404_html(built: BuiltSite, server: Nginx) -> None:
    status, headers, _ = fetch(server.url("/towns"))
    assert status == 301 and headers["Location"] == under_subpath("/towns/")
    status, headers, body = fetch(server.url(MISSING_PATH))
    assert status == 404 and body == (built.root / "404.html").read_bytes()
    assert headers["Cache-Control"] == "no-cache" and headers["X-Content-Type-Options"] == "nosniff"
    status, headers, _ = fetch(server.base.removesuffix(SUBPATH.rstrip("/")) + "/")
    assert status == 302 and headers["Location"] == SUBPATH
