"""Markdown bodies to safe HTML: Python-Markdown (tables, footnotes, heading anchors), then an
allow-list sanitizer (nh3), whose attribute hook also rebases site paths (/towns/x/) onto the
configured base path and records them for the link check. Renderings are kept between builds
by content hash (the `markup.bin` table of the build cache)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from .leanmarkdown import LeanMarkdown
from .store import Table, code_digest, content_key

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins",
    "code", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "sup", "sub", "div", "span", "abbr", "mark",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
ALLOWED_CLASSES = {
    "div": {"footnote"},
    "a": {"footnote-ref", "footnote-backref"},
    "sup": {"footnote-ref"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Tags removed together with their content, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript"}


class _DemoteH1(Treeprocessor):
    """The page title is the only h1; a `#` heading in a body becomes h2 (`##` stays h2)."""

    def run(self, root):  # type: ignore[no-untyped-def]
        for element in root.iter("h1"):
            element.tag = "h2"


class DemoteH1(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Before toc (priority 5) so the anchors see the final levels.
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 6)


# The inline patterns of Python-Markdown and of the extensions above, each with the strings one
# of which a text must hold for the pattern to match anything in it.
INLINE_PATTERNS = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[^",), "reference": ("[",), "link": ("[",),
    "image_link": ("![",), "image_reference": ("![",), "short_reference": ("[",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "linebreak": ("  \n",), "html": ("<",), "entity": ("&",),
    "em_strong": ("*", "_"),
}  # fmt: skip
_MAY_MATCH = re.compile(r"[`\\\[!<&*_]|  \n")


class _PlainTextInline(InlineProcessor):
    """Python-Markdown tries each of its fifteen inline patterns on every run of text, from
    every place a pattern matched; most runs in a body (Chinese prose) hold none of the
    characters any of them needs, and are returned as they are at once, and a pattern is tried
    only when the text holds a string it needs. Same HTML, a third less time (tests/test_markup.py
    compares the two on the corpus and on generated text)."""

    def __init__(self, md: markdown.Markdown, needs: list[tuple[str, ...]]):
        super().__init__(md)
        self.needs = [frozenset(n) for n in needs]  # by pattern index
        self.strings = frozenset().union(*self.needs)
        self.patterns = tuple(md.inlinePatterns)  # complete: the extensions are all loaded

    def _InlineProcessor__handleInline(self, data, patternIndex=0):  # type: ignore[no-untyped-def]
        # Overrides the private method InlineProcessor.run calls for each run of text: the same
        # loop, with a pattern skipped where InlineProcessor would find it does not match.
        if isinstance(data, AtomicString) or (patternIndex == 0 and _MAY_MATCH.search(data) is None):
            return data
        start, present = 0, None
        while patternIndex < len(self.patterns):
            if start == 0:
                if present is None:  # the needed strings the text holds, again after each match
                    present = {needed for needed in self.strings if needed in data}
                if self.needs[patternIndex].isdisjoint(present):
                    patternIndex += 1
                    continue
            pattern = self.patterns[patternIndex]
            data, matched, start = self._InlineProcessor__applyPattern(pattern, data, patternIndex, start)  # type: ignore[attr-defined]
            if matched:
                present = None
            else:
                patternIndex += 1
        return data


def _use_plain_text_inline(md: markdown.Markdown) -> bool:
    """Only while the patterns are exactly the known ones (another version of Python-Markdown
    or another extension could add a pattern that needs other characters)."""
    delimiters = getattr(getattr(md, "delimiters", None), "tokens", None)
    known = len(md.inlinePatterns) == len(INLINE_PATTERNS) and all(n in md.inlinePatterns for n in INLINE_PATTERNS)
    known = known and set(delimiters or ()) <= {"*", "_"}
    if not (known and hasattr(InlineProcessor, "_InlineProcessor__applyPattern")):
        return False
    needs: list[tuple[str, ...]] = [("",)] * len(INLINE_PATTERNS)  # "" is in every text
    for name, needed in INLINE_PATTERNS.items():
        needs[md.inlinePatterns.get_index_for_name(name)] = needed
    md.treeprocessors.register(_PlainTextInline(md, needs), "inline", 20)
    return True


def browser_view(url: str) -> str:
    """A URL as a browser reads it: surrounding spaces and controls stripped, tabs and newlines
    dropped, `\\` taken for `/`; so ` //evil.example` and `/\\evil.example` are seen as other hosts."""
    url = url.strip("".join(map(chr, range(33))))
    return url.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")


@dataclass(frozen=True)
class Rendered:
    html: str
    site_links: tuple[str, ...]  # root-relative targets as the author wrote them: /towns/x/#a


class MarkdownRenderer:
    def __init__(self, base_path: str = "/", plain_text_shortcut: bool = True, lean: bool = True):
        """`plain_text_shortcut` and `lean` off: Python-Markdown's stock pipeline (for tests)."""
        self.base_path = base_path
        self.shortcut = plain_text_shortcut
        self._instances = LeanMarkdown(self._markdown)
        self.lean = lean

    def _markdown(self) -> markdown.Markdown:
        md = markdown.Markdown(
            extensions=["tables", "footnotes", "toc", "fenced_code", "sane_lists", "attr_list", "def_list", DemoteH1()],
            extension_configs={
                "toc": {"slugify": slugify_unicode},
                "footnotes": {"BACKLINK_TITLE": "返回正文第 %d 处"},
            },
            output_format="html",
        )
        self.shortcut = self.shortcut and _use_plain_text_inline(md)
        return md

    def render(self, text: str) -> Rendered:
        md = self._instances.for_text(text) if self.lean else self._instances.stock
        md.reset()
        raw_html = md.convert(text)
        links: list[str] = []

        def rebase(tag: str, attr: str, value: str) -> str | None:
            if (tag, attr) in (("a", "href"), ("img", "src")):
                url = browser_view(value)
                if url.startswith("//"):
                    return None  # protocol-relative: another host, whatever it looks like
                if url.startswith("/"):
                    links.append(url)
                    return self.base_path + url[1:]
            return value

        safe_html = nh3.clean(
            raw_html,
            tags=ALLOWED_TAGS,
            clean_content_tags=DROPPED_WITH_CONTENT,
            attributes=ALLOWED_ATTRIBUTES,
            allowed_classes=ALLOWED_CLASSES,
            attribute_filter=rebase,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
        return Rendered(safe_html, tuple(links))


# Rendered bodies by content hash, kept between builds, stamped with this file's own digest.
_CODE = code_digest(Path(__file__))
Bodies = dict[tuple[str, str], Rendered]  # (base path, Markdown) -> rendered


def markup_table(cache_dir: Path | None) -> Table:
    versions = (f"markdown {markdown.__version__}", f"nh3 {nh3.__version__}", f"markup {_CODE}")  # type: ignore[attr-defined]
    return Table(cache_dir / "markup.bin" if cache_dir else None, *versions)


def load_bodies(table: Table, base_path: str, texts: Iterable[str]) -> Bodies:
    """The cached renderings of `texts`, ready for the renderer."""
    rows = table.load()
    bodies: Bodies = {}
    for text in texts:
        row = rows.get(content_key(base_path, text))
        if row is not None:
            bodies[(base_path, text)] = Rendered(row[0], tuple(row[1]))
    return bodies


def save_bodies(table: Table, base_path: str, bodies: Bodies) -> None:
    """Keeps exactly the bodies of this build (those of deleted entries drop out)."""
    rows = {content_key(base, text): (r.html, r.site_links) for (base, text), r in bodies.items() if base == base_path}
    table.save(rows)
