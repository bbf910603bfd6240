"""Most bodies are written only as plain paragraphs, `-` lists, `#` headings and simple tables. Such a body
goes straight to the HTML Python-Markdown makes of it (with this site's extensions: `#` demoted
to h2, heading ids from toc), without its block parser, tree processors and serializer; any
body that holds anything else (one character Markdown or an extension could read as syntax,
an indented or blank-padded line, a list right after a list...) is left to Python-Markdown.
tests/test_markup.py compares the two on the corpus and on generated text."""

from __future__ import annotations

import html
import re

from markdown.extensions.toc import slugify_unicode, strip_tags, unique

# Characters some block or inline syntax of Python-Markdown or an enabled extension needs
# (links, emphasis, code, HTML, entities, tables, attribute lists, footnotes, definition
# lists, setext headings, fences), and every control character but the newline.
_SYNTAX = re.compile(r"[`\\\[\]!<>&*_{}|~^#:=+\x00-\x09\x0b-\x1f\x7f]")
# Text at the start of a line that could start a block (code, a list, a rule) or be stripped.
_BLOCK_START = re.compile(r"[\s-]|\d+[.)]")
_HEADING = re.compile(r"(#{1,6}) (\S(?:[^#\n]*\S)?)")
# Strings the footnotes extension replaces in any output.
_PLACEHOLDERS = ("zz1337820767766393qq", "qq3936677670287331zz")
_ITEM = re.compile(r"- (\S.*)")


def plain_html(text: str) -> str | None:
    """The HTML Python-Markdown would make of `text`, or None when `text` is not plain."""
    found = _blocks(text)
    if not found or any(placeholder in text for placeholder in _PLACEHOLDERS):
        return None  # not plain, or empty (Python-Markdown's own answer)
    blocks: list[str] = []
    previous_list = False
    for block in found:
        kind = _KINDS.get(block[0], _paragraph)
        made = kind(block)
        if made is None or (made.startswith("<ul>") and previous_list):
            return None  # a list right after a list is one loose list in Python-Markdown
        previous_list = made.startswith("<ul>")
        blocks.append(made)
    return _with_heading_ids(blocks)


def _blocks(text: str) -> list[str] | None:
    """Runs of non-empty lines; None when a line has white space at either end (it may be
    code, a line break, or a line Python-Markdown normalizes)."""
    blocks: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line:
            if current:
                blocks.append("\n".join(current))
                current = []
        elif line[0].isspace() or line[-1].isspace():
            return None
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _heading(block: str) -> str | None:
    match = _HEADING.fullmatch(block)
    if match is None or _SYNTAX.search(match[2]) or _BLOCK_START.match(match[2]):
        return None
    level = max(2, len(match[1]))  # the page title is the only h1
    return f"<h{level}>{match[2]}</h{level}>"


def _list(block: str) -> str | None:
    items = []
    for line in block.split("\n"):
        match = _ITEM.fullmatch(line)
        if match is None or _SYNTAX.search(match[1]) or _BLOCK_START.match(match[1]):
            return None
        items.append(f"<li>{match[1]}</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _table(block: str) -> str | None:
    """A table whose every row has the same cells between `|` borders, without alignment."""
    rows = [line[1:-1].split("|") if line[-1] == "|" else [] for line in block.split("\n")]
    width = len(rows[0])
    if len(rows) < 3 or width < 2 or any(len(row) != width for row in rows):
        return None
    if any(cell.strip(" ").strip("-") or "-" not in cell for cell in rows[1]):
        return None  # the separator row: dashes only (a colon would align the column)
    cells = [[cell.strip(" ") for cell in row] for row in rows]
    if any(_SYNTAX.search(cell) for row in cells for cell in row):
        return None
    head = _row(cells[0], "th")
    body = "\n".join(_row(row, "td") for row in cells[2:])
    return f"<table>\n<thead>\n{head}\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _row(cells: list[str], tag: str) -> str:
    return "<tr>\n" + "".join(f"<{tag}>{cell}</{tag}>\n" for cell in cells) + "</tr>"


def _paragraph(block: str) -> str | None:
    if _SYNTAX.search(block) or any(_BLOCK_START.match(line) for line in block.split("\n")):
        return None
    return f"<p>{block}</p>"


_KINDS = {"#": _heading, "-": _list, "|": _table}


def _with_heading_ids(blocks: list[str]) -> str:
    """toc's ids: the heading's text slugified, made unique in the document with `_1`, `_2`."""
    used: set[str] = set()
    counters: dict[str, int] = {}
    out = []
    for block in blocks:
        if block.startswith("<h"):
            tag, text = block[:3], block[4:-5]
            slug = unique(slugify_unicode(html.unescape(strip_tags(text)), "-"), used, counters)
            block = f'{tag} id="{slug}">{text}</{tag[1:]}>'
        out.append(block)
    return "\n".join(out)
