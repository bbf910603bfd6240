"""Limits on what a body may hold, checked before Markdown sees it, so that no file can make a
build hang or crash: Python-Markdown's cost grows with the square of some constructs (a `[` or
`(` or `<` that nothing closes is matched against the rest of its paragraph, once per opener;
headings and definition lists without blank lines between them are re-split and recursed into)
and its nesting is recursive. Each limit is far above what a real page holds, and each is
reported as `path:line: message` naming the limit. Also the characters no published text may
hold (for bodies and front matter alike).

The checks are regular expressions over the whole body and a pass over its brackets only, so
they cost little next to Markdown itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .i18n import _

MAX_LINE = 10_000  # characters in one line
MAX_INDENT = 40  # columns of leading spaces (a tab counts 4): about ten levels of lists
MAX_QUOTES = 10  # levels of `>` quotes
MAX_RUN = 10_000  # characters of one paragraph (or list item, or table row): inline work grows with its square
MAX_REACH = 200_000  # characters that unclosed or far-closed `[`, `(` and `<` look ahead, in all
NEAR = 100  # a `[` closed within this many characters costs nothing worth counting
MAX_FOOTNOTE_REFS = 200
MAX_HEADINGS = 50  # headings in one paragraph (no blank line between them)
MAX_DEFINITIONS = 50  # `: ` definition lines in one paragraph
MAX_TAGS = 2_000  # raw HTML tags in one body

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ASTRAL_NONCHARACTERS = "".join(chr(p * 0x10000 + 0xFFFE) + chr(p * 0x10000 + 0xFFFF) for p in range(1, 17))
_NONCHARACTER = re.compile(f"[\ufdd0-\ufdef\ufffe\uffff{_ASTRAL_NONCHARACTERS}]")
# One scan for the common case of nothing wrong; a class of scattered characters beyond U+FFFF
# is slow (seven times a scan of the rest), so it is searched only in text that has any
# character beyond U+FFFF at all, which one range finds as fast as the rest.
_BMP_BAD = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_ANY_BAD = re.compile(f"[{_BMP_BAD}]")
_ANY_BAD_OR_DIRECTION = re.compile(f"[{_BMP_BAD}\u202a-\u202e\u2066-\u2069]")
_ASTRAL_BAD = re.compile(f"[{_ASTRAL_NONCHARACTERS}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _first_bad(text: str, direction_too: bool) -> int | None:
    found = (_ANY_BAD_OR_DIRECTION if direction_too else _ANY_BAD).search(text)
    offsets = [found.start()] if found else []
    if _ASTRAL.search(text) and (astral := _ASTRAL_BAD.search(text)):
        offsets.append(astral.start())
    return min(offsets) if offsets else None


def unpublishable(text: str, direction_too: bool = False) -> tuple[int, str] | None:
    """(offset, message) for the first character of `text` that no page, feed or terminal may
    carry, or None. `direction_too`: also the invisible direction overrides ("Trojan Source")."""
    start = _first_bad(text, direction_too)
    if start is None:  # the common case
        return None
    text = text[start:]
    found: list[tuple[int, str]] = []
    for pattern, message in (
        (_CONTROL, _("contains the control character U+{code}; delete it")),
        (_SURROGATE, _("contains U+{code}, half of a surrogate pair, which cannot be published; write the "
                       "character itself instead of its escape")),
        (_NONCHARACTER, _("contains the noncharacter U+{code}, which cannot be published; delete it")),
        *([(_DIRECTION, _("contains the invisible direction override U+{code}, which makes text display "
                          "other than it reads; delete it"))] if direction_too else []),
    ):  # fmt: skip
        match = pattern.search(text)
        if match:
            found.append((match.start(), message.format(code=f"{ord(match.group()):04X}")))
    offset, message = min(found)
    return start + offset, message


@dataclass(frozen=True)
class BodyProblem:
    line: int  # 0-based line of the body
    message: str


_BLANK = re.compile(r"\n[ \t]*(?=\n)")
_INDENT = re.compile(rf"^[ \t]{{{MAX_INDENT // 4 + 1},}}", re.MULTILINE)
_QUOTES = re.compile(rf"^(?:[ \t]*>){{{MAX_QUOTES + 1}}}", re.MULTILINE)
_HEADING = re.compile(r"^ {0,3}(?:#|=+[ \t]*$|-+[ \t]*$)", re.MULTILINE)
_DEFINITION = re.compile(r"^ {0,3}:[ \t]", re.MULTILINE)
_TAG = re.compile(r"<[A-Za-z/!?]")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]")
_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\Z")
_OPENERS = re.compile(r"\\.|\[|\]\(|\]|\(|\)|<[A-Za-z/!?]|>")


def body_problems(body: str) -> list[BodyProblem]:
    """Every limit the body breaks, each once, at the first line that breaks it."""
    problems: list[BodyProblem] = []

    def line_of(offset: int) -> int:
        return body.count("\n", 0, offset)

    bad = unpublishable(body, direction_too=True)
    if bad:
        problems.append(BodyProblem(line_of(bad[0]), bad[1]))
    longest = max(body.split("\n"), key=len)
    if len(longest) > MAX_LINE:
        problems.append(BodyProblem(body.split("\n").index(longest), _(
            "line is {length} characters long; lines are limited to {limit}: break it into paragraphs"
        ).format(length=len(longest), limit=MAX_LINE)))  # fmt: skip
    for indent in _INDENT.finditer(body):
        if len(indent.group().expandtabs(4)) > MAX_INDENT:
            problems.append(BodyProblem(line_of(indent.start()), _(
                "line is indented {columns} columns; lists and code nest at most {limit} columns deep"
            ).format(columns=len(indent.group().expandtabs(4)), limit=MAX_INDENT)))  # fmt: skip
            break
    if quotes := _QUOTES.search(body):
        problems.append(BodyProblem(line_of(quotes.start()), _(
            "quotes (`>`) are nested more than {limit} levels deep"
        ).format(limit=MAX_QUOTES)))  # fmt: skip
    problems += _count_problems(body, line_of)
    problems += _reach_problems(body, line_of)
    return problems


def _count_problems(body: str, line_of: Callable[[int], int]) -> list[BodyProblem]:
    problems: list[BodyProblem] = []
    refs = body.count("[^")
    if refs > MAX_FOOTNOTE_REFS:
        problems.append(BodyProblem(line_of(_nth(body, "[^", MAX_FOOTNOTE_REFS)), _(
            "has {count} footnote references (`[^`); a body may have at most {limit}"
        ).format(count=refs, limit=MAX_FOOTNOTE_REFS)))  # fmt: skip
    tags = _TAG.findall(body)
    if len(tags) > MAX_TAGS:
        offset = [m.start() for m in _TAG.finditer(body)][MAX_TAGS]
        problems.append(BodyProblem(line_of(offset), _(
            "has {count} HTML tags; a body may have at most {limit} (write Markdown instead)"
        ).format(count=len(tags), limit=MAX_TAGS)))  # fmt: skip
    for start, block in _blocks(body):
        if len(block) > MAX_RUN and (long := _long_run(block)) is not None:
            problems.append(BodyProblem(line_of(start + long[0]), _(
                "this paragraph (or list item) is {length} characters long without a blank line; paragraphs are "
                "limited to {limit} characters: put blank lines between paragraphs"
            ).format(length=long[1], limit=MAX_RUN)))  # fmt: skip
            return problems
        if block.count("\n") < min(MAX_HEADINGS, MAX_DEFINITIONS):
            continue  # each of these is a line: too few lines to break either limit
        for pattern, limit, message in (
            (_HEADING, MAX_HEADINGS, _("more than {limit} headings follow each other without a blank line; "
                                       "put a blank line after each heading")),
            (_DEFINITION, MAX_DEFINITIONS, _("more than {limit} definitions (`: ` lines) follow each other "
                                             "without a blank line; put blank lines between them")),
        ):  # fmt: skip
            matches = [m.start() for m in pattern.finditer(block)]
            if len(matches) > limit:
                problems.append(BodyProblem(line_of(start + matches[limit]), message.format(limit=limit)))
                return problems
    return problems


def _long_run(block: str) -> tuple[int, int] | None:
    """(offset, length) of the first run of text Markdown processes inline as one piece that is
    longer than MAX_RUN: the paragraph, or each item of a list, or each row of a table."""
    lead = len(block) - len(block.lstrip("\n"))  # the body's first paragraph starts after a line break
    lines = block[lead:].rstrip("\n").split("\n")
    if _LIST_ITEM.match(lines[0]):
        starts = [i for i, line in enumerate(lines) if _LIST_ITEM.match(line)]
    elif len(lines) > 1 and "|" in lines[0] and _TABLE_RULE.match(lines[1]):
        starts = list(range(len(lines)))
    else:
        starts = [0]
    offsets = [lead]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for first, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        length = offsets[end] - offsets[first] - 1
        if length > MAX_RUN:
            return offsets[first], length
    return None


def _nth(text: str, needle: str, n: int) -> int:
    offset = -1
    for _i in range(n + 1):
        offset = text.index(needle, offset + 1)
    return offset


def _blocks(body: str) -> list[tuple[int, str]]:
    """The paragraphs of a body (runs of lines without a blank one), with their offsets."""
    blocks: list[tuple[int, str]] = []
    start = 0
    for match in _BLANK.finditer(body):
        blocks.append((start, body[start : match.start()]))
        start = match.end()
    blocks.append((start, body[start:]))
    return blocks


def _reach_problems(body: str, line_of: Callable[[int], int]) -> list[BodyProblem]:
    """How far, in all, each `[` (to its `]`), each `(` after a `]` (to its `)`) and each `<`
    of a tag (to the next `>`) reaches in its paragraph, unclosed ones to the paragraph's end:
    Markdown scans that far for each of them."""
    openers = body.count("[") + body.count("<") + body.count("(")
    if openers * len(body) <= MAX_REACH:  # even if every one reached the end, within the budget
        return []
    total, worst, worst_at = 0, 0, 0
    for start, block in _blocks(body):
        if "[" not in block and "<" not in block:
            continue
        brackets: list[int] = []
        parens: list[int] = []  # the `(` of a link target, and those nested in it
        tags: list[int] = []
        reaches: list[tuple[int, int]] = []
        for match in _OPENERS.finditer(block):
            token, at = match.group(), match.start()
            if token[0] == "\\":
                continue
            if token == "[":
                brackets.append(at)
            elif token in ("]", "](") and brackets:
                reaches.append((brackets.pop(), at))
            if token == "](":
                parens.append(at + 1)
            elif token == "(" and parens:
                parens.append(at)
            elif token == ")" and parens:
                reaches.append((parens.pop(), at))
            elif token[0] == "<":
                tags.append(at)
            elif token == ">":
                reaches += [(opener, at) for opener in tags]
                tags.clear()
        end = len(block)
        reaches += [(opener, end) for opener in (*brackets, *parens, *tags)]
        for opener, closer in reaches:
            if closer - opener <= NEAR:
                continue
            total += closer - opener
            if closer - opener > worst:
                worst, worst_at = closer - opener, start + opener
    if total <= MAX_REACH:
        return []
    return [BodyProblem(line_of(worst_at), _(
        "too many `[`, `(` or `<` that are not closed in their paragraph (or closed far away): Markdown would "
        "look ahead {reach} characters for them, more than the limit of {limit}; close each one, or write "
        "`\\[`, `\\(` or `\\<` for the character itself"
    ).format(reach=total, limit=MAX_REACH))]  # fmt: skip
