"""Every HTML page of the built site, read as markup: the language, one h1, the landmarks and a
skip link to <main> first. The browser tests check one page of each type; this checks them all."""

from __future__ import annotations

from html.parser import HTMLParser

from .conftest import BuiltSite


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.h1 = 0
        self.tags: list[tuple[str, dict[str, str | None]]] = []  # landmarks and links, in order

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        self.h1 += tag == "h1"
        if tag in {"header", "nav", "main", "footer", "a", "input", "button", "select", "textarea"}:
            self.tags.append((tag, values))


def problems_of(outline: Outline) -> list[str]:
    found = []
    if outline.lang != "zh-CN":
        found.append(f'lang="{outline.lang}"')
    if outline.h1 != 1:
        found.append(f"{outline.h1} h1 elements")
    names = [tag for tag, _ in outline.tags]
    for landmark in ("header", "main", "footer"):
        if landmark not in names:
            found.append(f"no <{landmark}>")
    if not any(tag == "nav" and values.get("aria-label") == "主导航" for tag, values in outline.tags):
        found.append('no <nav aria-label="主导航">')
    if not any(tag == "main" and values.get("id") == "main" for tag, values in outline.tags):
        found.append('no <main id="main">')
    focusable = [values for tag, values in outline.tags if tag not in {"header", "nav", "main", "footer"}]
    if not focusable or focusable[0].get("href") != "#main":
        found.append("the first link is not the skip link to #main")
    return found


def test_every_page_has_language_heading_landmarks_and_skip_link(built: BuiltSite) -> None:
    pages = sorted(built.root.rglob("*.html"))
    assert len(pages) > 20
    report = {}
    for path in pages:
        outline = Outline()
        outline.feed(path.read_text(encoding="utf-8"))
        if problems := problems_of(outline):
            report[path.relative_to(built.root).as_posix()] = problems
    assert not report, "\n".join(f"{page}: {', '.join(found)}" for page, found in report.items())
