"""Reading a built site the way a browser and a crawler would: links, anchors, JSON-LD."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PageScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.json_ld: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.links.append(values[name])
        self._in_json = tag == "script" and values.get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_ld.append(data)


def scan(path: Path) -> PageScan:
    page = PageScan()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def resolve(site: Path, base_path: str, link: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points at, or None for external links."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "#")):
        return None
    assert parts.path.startswith(base_path), f"internal link {link!r} is outside the base path {base_path!r}"
    rel = unquote(parts.path[len(base_path) :])
    target = site / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    broken: list[str] = []
    pages = {p: scan(p) for p in sorted(site.rglob("*.html"))}
    for page_path, page in pages.items():
        for link in page.links:
            resolved = resolve(site, base_path, link)
            if resolved is None:
                continue
            target, fragment = resolved
            if not target.is_file():
                broken.append(f"{page_path.relative_to(site)}: {link}")
            elif fragment and target.suffix == ".html" and fragment not in pages[target].ids:
                broken.append(f"{page_path.relative_to(site)}: {link} (no such anchor)")
    return broken


def json_ld(path: Path) -> list[dict]:
    return [json.loads(block) for block in scan(path).json_ld]
