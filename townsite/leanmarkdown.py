"""Python-Markdown runs every processor of every extension on every body, and most bodies can
set off few of them: a processor whose own pattern needs a string the text lacks is left out
(one Markdown instance for each set left out, made once), and toc's treeprocessor, of which the
site uses only the headings' ids, makes only those when the text has no [TOC] marker (the
table of contents it otherwise builds and serializes for each body is never shown). Same HTML,
about a third less time on the benchmark corpus (tests/test_markup.py compares with the stock
pipeline on the corpus and on generated text)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions.toc import TocTreeprocessor, remove_fnrefs, render_inner_html, strip_tags, unique

_HR = re.compile(r"([-_*]) {0,2}\1 {0,2}\1")  # what the hr pattern needs on one line
_INDENTED = "    "  # a block indented by a tab's width (tabs: see `_UNSURE`)

# (registry, processor) -> whether the text may set it off: each tests for a string the
# processor's own pattern needs. A block is a run of the text's lines with only their starts
# taken off (list markers, `>`, indentation), so a string within a line of a block is in the text.
OPTIONAL: dict[tuple[str, str], Callable[[str], bool]] = {
    ("preprocessors", "html_block"): lambda text: "<" in text or "&" in text,
    ("preprocessors", "fenced_code_block"): lambda text: "```" in text or "~~~" in text,
    ("blockprocessors", "indent"): lambda text: _INDENTED in text,
    ("blockprocessors", "defindent"): lambda text: _INDENTED in text,
    ("blockprocessors", "code"): lambda text: _INDENTED in text,
    ("blockprocessors", "quote"): lambda text: ">" in text,
    ("blockprocessors", "hr"): lambda text: _HR.search(text) is not None,
    ("blockprocessors", "table"): lambda text: "|" in text,
    ("blockprocessors", "footnote"): lambda text: "[^" in text,
    ("blockprocessors", "reference"): lambda text: "]:" in text,
    ("blockprocessors", "deflist"): lambda text: ":" in text,
    ("treeprocessors", "attr_list"): lambda text: "{" in text,
    ("treeprocessors", "unescape"): lambda text: "\\" in text,  # undoes what a backslash escaped
}
# Python-Markdown's first step turns tabs into spaces and line ends into \n and drops its own
# placeholder marks, which could make a string that was not in the text: such a text keeps all.
_UNSURE = re.compile("[\t\r\x02\x03]")
_TOC_TABLE = ("treeprocessors", "toc")  # in a key: the whole toc treeprocessor is needed


class HeadingIds(TocTreeprocessor):
    """toc's treeprocessor without the table of contents: each heading's level and id exactly
    as toc sets them (tests/test_markup.py compares)."""

    def run(self, doc):  # type: ignore[no-untyped-def]
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    name = _plain_name(el)
                    if name is None:
                        name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                    el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, counters)
                el.attrib.pop("data-toc-label", None)


def _plain_name(heading: Element) -> str | None:
    """The name toc reads from a heading of plain text (no element, no placeholder, nothing
    to escape): its words with the spaces between them made one, as toc's strip_tags does."""
    text = heading.text
    if len(heading) or text is None or _NOT_PLAIN.search(text):
        return None
    return " ".join(text.split())


_NOT_PLAIN = re.compile("[\x02\x03&<>]")


def _only_ids(toc: TocTreeprocessor) -> bool:
    """Whether toc, as configured, adds nothing to a heading but its id (no anchor, no permalink)."""
    if type(toc) is not TocTreeprocessor:
        return False
    return not toc.use_anchors and toc.use_permalinks in (False, None)


class LeanMarkdown:
    """The Markdown instances for texts: `make` gives a new stock instance (`stock`: one kept as
    it is, for the tests to compare with)."""

    def __init__(self, make: Callable[[], markdown.Markdown]):
        self.make = make
        self.stock = make()
        # A Registry has no get().
        toc = self.stock.treeprocessors["toc"] if "toc" in self.stock.treeprocessors else None  # noqa: SIM401
        self.marker: str | None = toc.marker if isinstance(toc, TocTreeprocessor) and _only_ids(toc) else None
        present = {(where, name) for where, name in OPTIONAL if name in _registry(self.stock, where)}
        self.optional = {key: test for key, test in OPTIONAL.items() if key in present}
        self.instances: dict[frozenset[tuple[str, str]], markdown.Markdown] = {}

    def left_out(self, text: str) -> frozenset[tuple[str, str]]:
        if _UNSURE.search(text):
            return frozenset()
        out = {key for key, may_act in self.optional.items() if not may_act(text)}
        if self.marker is not None and self.marker not in text:
            out.add(_TOC_TABLE)
        return frozenset(out)

    def for_text(self, text: str) -> markdown.Markdown:
        key = self.left_out(text)
        md = self.instances.get(key)
        if md is None:
            md = self.instances[key] = self.make()
            for where, name in key - {_TOC_TABLE}:
                _registry(md, where).deregister(name)
            if _TOC_TABLE in key:
                md.treeprocessors["toc"].__class__ = HeadingIds  # same configuration, same place
            _block_level_by_set(md)
        return md


def _block_level_by_set(md: markdown.Markdown) -> None:
    """Python-Markdown asks whether a tag is block-level some forty times a body, each time a
    search of a list of sixty names: a set of the same names (the extensions have added theirs)."""
    names = frozenset(md.block_level_elements)

    def is_block_level(tag: object) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in names

    md.is_block_level = is_block_level  # type: ignore[method-assign]


def _registry(md: markdown.Markdown, where: str) -> markdown.util.Registry:  # type: ignore[type-arg]
    return md.parser.blockprocessors if where == "blockprocessors" else getattr(md, where)
