"""The link check: every internal link, anchor and image of a built site, followed the way a
browser would (relative URLs resolved against the page, percent-escapes decoded, `#概况` looked
up among the target's ids). It reads the staged outputs (site path → bytes), so `build --links`
can refuse to publish a broken site before anything is written; `check_folder` reads a built
folder the same way."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from .i18n import _
from .problems import Problem

# (tag, attribute) pairs whose value a browser fetches or follows.
URL_ATTRIBUTES = frozenset(
    [
        ("a", "href"),
        ("area", "href"),
        ("link", "href"),
        ("img", "src"),
        ("script", "src"),
        ("source", "src"),
        ("iframe", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("video", "src"),
        ("video", "poster"),
        ("audio", "src"),
        ("track", "src"),
        ("form", "action"),
    ]
)
META_URLS = frozenset(["og:url", "og:image", "twitter:image"])
UNSAFE_SCHEMES = frozenset(["javascript", "vbscript", "data", "file"])
ORIGIN = "http://site.invalid"
# `#top` and `#` scroll to the top of any page (HTML spec), with or without such an id.
ALWAYS_THERE = frozenset(["", "top"])


class PageLinks(HTMLParser):
    """The URLs one HTML page points at, and the anchors (ids, <a name>) it offers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values: dict[str, str] = {}
        for name, value in attrs:  # a repeated attribute: browsers keep the first
            values.setdefault(name, value or "")
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name, value in values.items():
            if (tag, name) in URL_ATTRIBUTES:
                self.links.append(value)
            elif name == "srcset" and tag in ("img", "source"):
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())
        if tag == "meta" and (values.get("property") or values.get("name")) in META_URLS and "content" in values:
            self.links.append(values["content"])


def page_links(html: str) -> PageLinks:
    page = PageLinks()
    page.feed(html)
    page.close()
    return page


def xml_links(text: str) -> list[str]:
    """Addresses in a sitemap or feed: <loc>, <link>text</link> and <link href>. Raises
    ET.ParseError when the file is not well-formed."""
    links: list[str] = []
    for element in ET.fromstring(text).iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in ("loc", "link"):
            value = element.get("href") or (element.text or "").strip()
            if value:
                links.append(value)
    return links


class LinkChecker:
    def __init__(self, outputs: Mapping[str, bytes], base_url: str = "/"):
        self.outputs = outputs
        base = urlsplit(base_url)
        self.host = base.netloc.lower()
        self.base_path = base.path if base.path.endswith("/") else base.path + "/"
        self._pages: dict[str, PageLinks] = {}

    def page(self, path: str) -> PageLinks:
        if path not in self._pages:
            self._pages[path] = page_links(self.outputs[path].decode("utf-8", errors="replace"))
        return self._pages[path]

    def problems(self) -> list[Problem]:
        problems: list[Problem] = []
        for path in sorted(self.outputs):
            if path.endswith(".html"):
                links = self.page(path).links
            elif path.endswith(".xml"):
                try:
                    links = xml_links(self.outputs[path].decode("utf-8", errors="replace"))
                except ET.ParseError as exc:
                    problems.append(Problem(path, None, _("is not well-formed XML ({error})").format(error=exc)))
                    continue
            else:
                continue
            seen: set[str] = set()
            for href in links:
                reason = None if href in seen else self.why_broken(path, href)
                seen.add(href)
                if reason:
                    message = _("broken link {href} ({reason})").format(href=href, reason=reason)
                    problems.append(Problem(path, None, message))
        return problems

    def why_broken(self, page: str, href: str) -> str | None:
        """Why `href` on the output file `page` leads nowhere, or None when it works (or is
        not ours to check: another host, mailto:)."""
        url = href.strip()
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in UNSAFE_SCHEMES:
            return _("{scheme}: URLs are not allowed").format(scheme=scheme)
        if scheme and scheme not in ("http", "https"):
            return None  # mailto:, tel:
        if parts.netloc:
            if parts.netloc.lower() != self.host or not self.host:
                return None  # another site
            url = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
        # Resolved against a stand-in origin, as a browser does: excess `../` stop at the root.
        target = urlsplit(urljoin(ORIGIN + self.base_path + page, url))
        if not target.path.startswith(self.base_path):
            return _("outside the site, which lives under {path}").format(path=self.base_path)
        rel = unquote(target.path[len(self.base_path) :])
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel not in self.outputs:
            if f"{rel}/index.html" in self.outputs:
                return _("no such page: add the trailing /")
            return _("no such page or file")
        fragment = target.fragment
        if fragment in ALWAYS_THERE or not rel.endswith(".html"):
            return None
        ids = self.page(rel).ids
        if fragment not in ids and unquote(fragment) not in ids:
            return _("no element with id `{id}` on {page}").format(id=unquote(fragment), page=rel)
        return None


def check_outputs(outputs: Mapping[str, bytes], base_url: str = "/") -> list[Problem]:
    """Every broken internal link of the outputs, as `page: broken link HREF (why)`. `base_url`
    is the configured one (absolute links to it are internal) or just a path such as /showcase/."""
    return LinkChecker(outputs, base_url).problems()


def check_folder(site: Path, base_url: str = "/") -> list[Problem]:
    outputs = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    return check_outputs(outputs, base_url)
