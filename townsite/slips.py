"""Hints for the slips a Chinese keyboard makes: full-width punctuation where YAML wants ASCII
(`venue：…`, `“…”`, `【…】`, `[a，b]`), no space after a colon (`city:北京`), full-width digits,
dates written 2016年6月26日, several items where a list belongs, a name where a slug belongs.
Each hint names the line of the mistake and the text to write instead."""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from .i18n import _, kind_name
from .problems import Problem

# Full-width ASCII forms (U+FF01..FF5E) and the ideographic space, as their ASCII twins.
FULL_WIDTH = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {0x3000: " "}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CHINESE_DATE = re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?")
OTHER_DATE = re.compile(r"([0-9]{4})\s*[./／年-]\s*([0-9]{1,2})\s*[./／月-]\s*([0-9]{1,2})\s*[日号]?")
# Separators an editor types between items when a list was meant.
LIST_SEPARATORS = re.compile(r"\s*[,，、；;]\s*")
BRACKETED = re.compile(r"^[【［\[（(]\s*(.*?)\s*[】］\]）)]$")
# Front matter larger than this is not an editor's (the hint re-parses it a few times).
MAX_EXPLAINED = 20_000
SHOWN = 60  # characters of a suggested line shown in a hint


def ascii_form(text: str) -> str:
    return text.translate(FULL_WIDTH)


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def ascii_hint(text: str) -> str | None:
    """For a value with full-width digits or letters (`２０万亩`, `ｘｉ-ｊｉ`): write it in ASCII."""
    fixed = ascii_form(text)
    if fixed == text:
        return None
    return _("`{text}` has full-width characters; write `{fixed}`").format(text=text, fixed=fixed)


def date_hint(text: str) -> str | None:
    """For a date written the Chinese way or with full-width digits: the YYYY-MM-DD to write."""
    plain = ascii_form(text).strip()
    match = CHINESE_DATE.fullmatch(plain) or OTHER_DATE.fullmatch(plain)
    if not match:
        return None
    year, month, day = match.groups()
    fixed = f"{year}-{int(month):02d}-{int(day):02d}"
    if fixed == text:
        return None
    if fixed == plain:  # only the digits or the hyphens were full-width
        return ascii_hint(text)
    return _("`{text}` is not written YYYY-MM-DD; write `{fixed}`").format(text=text, fixed=fixed)


def looks_like_name(text: str) -> bool:
    """Chinese characters where a slug belongs: the editor wrote the entry's name."""
    return bool(CJK.search(text))


def name_hint(name: str, kind: str, slug: str | None) -> str:
    if slug:
        message = _("`{name}` is a name; write the {kind}'s slug: `{slug}`")
    else:
        message = _("`{name}` is a name, and no {kind} has it; write the slug of a {kind}")
    return message.format(name=name, kind=kind_name(kind), slug=slug)


def list_hint(node: yaml.Node) -> str | None:
    """A single value holding several items (`玫瑰产业，文化旅游`, `【a, b】`), or items of a
    `[...]` list joined by a full-width comma: the list to write instead."""
    if isinstance(node, yaml.ScalarNode) and not node.style:  # plain (libyaml says "", PyYAML None)
        text = node.value.strip()
        bracketed = BRACKETED.match(text)
        items = [i for i in LIST_SEPARATORS.split(bracketed.group(1) if bracketed else text) if i]
        fixed = _shown("[" + ", ".join(items) + "]")
        if bracketed and not text.startswith("["):
            message = _("`{text}` is not a list: YAML lists use ASCII brackets; write `{fixed}`")
            return message.format(text=text, fixed=fixed)
        if len(items) > 1:
            return _("`{text}` looks like several items; write a list: `{fixed}`").format(text=text, fixed=fixed)
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and not item.style and re.search("[，、；]", item.value):
                items = [i for i in LIST_SEPARATORS.split(item.value.strip()) if i]
                message = _("`{text}` joins items with a full-width comma; separate them with ASCII commas: `{fixed}`")
                return message.format(text=item.value, fixed=_shown(", ".join(items)))
    return None


def key_hint(key: str, fields: dict) -> str | None:
    """A field name typed with full-width letters or with a note in brackets (`province（省份）`)."""
    bare = re.sub(r"[（(].*?[）)]", "", ascii_form(key)).strip().strip(":：").strip()
    if bare != key and bare in fields:
        return _("write the field name as `{field}`, without full-width characters or notes").format(field=bare)
    return None


# --- lines YAML could not read -----------------------------------------------------------------
KEY = r"(?P<lead>\s*(?:-\s+)?)(?P<key>[\w-]+)"
VALUE_LEAD = r"(?P<lead>\s*(?:-\s+)?(?:[\w-]+:\s+)?)"
FULL_WIDTH_COLON = re.compile(KEY + r"\s*：\s*(?P<rest>.*)$")
NO_SPACE = re.compile(KEY + r":(?P<rest>[^\s/].*)$")
FULL_WIDTH_QUOTES = re.compile(VALUE_LEAD + r"[“‘](?P<inner>.*)[”’]\s*$")
FULL_WIDTH_BRACKETS = re.compile(VALUE_LEAD + r"[【［](?P<inner>.*)[】］]\s*$")


def _slip(line: str) -> tuple[str, str] | None:
    """The mended line and the hint, when `line` has a keyboard slip YAML may trip over."""
    if match := FULL_WIDTH_COLON.fullmatch(line):
        fixed = f"{match['lead']}{match['key']}: {match['rest']}".rstrip()
        message = _("full-width colon `：` after `{key}`; write an ASCII colon and a space: `{fixed}`")
    elif match := NO_SPACE.fullmatch(line):
        fixed = f"{match['lead']}{match['key']}: {match['rest']}"
        message = _("no space after the colon of `{key}`; write `{fixed}`")
    elif match := FULL_WIDTH_QUOTES.fullmatch(line):
        fixed = match["lead"] + '"' + match["inner"].replace("\\", "\\\\").replace('"', '\\"') + '"'
        message = _("full-width quotes `“”` do not quote a value in YAML; write ASCII quotes: `{fixed}`")
    elif match := FULL_WIDTH_BRACKETS.fullmatch(line):
        fixed = match["lead"] + "[" + ", ".join(i for i in LIST_SEPARATORS.split(match["inner"].strip()) if i) + "]"
        message = _("full-width brackets `【】` do not make a list in YAML; write `{fixed}`")
    else:
        return None
    key = match.groupdict().get("key", "")
    return fixed, message.format(key=key, fixed=_shown(fixed.strip()))


def _outcome(parse: Callable[[str], yaml.Node], lines: list[str]) -> int | None:
    """None when the lines read as `field: value` lines; else the 0-based padded line YAML stops at
    (a whole-document shape problem counts as line -1: any real progress beats it)."""
    try:
        node = parse("\n".join(lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        return mark.line if mark else -1
    return None if node is None or isinstance(node, yaml.MappingNode) else -1


def explain(
    lines: list[str], first_line: int, path: str, parse: Callable[[str], yaml.Node]
) -> tuple[list[Problem], list[str]]:
    """Keyboard slips that make front matter unreadable, one problem on each slip's own line, and
    the lines with those slips mended (so the caller can report what else is wrong). A slip is
    reported only when mending it lets YAML read further. `lines` start at file line
    first_line + 1; `parse` reads them as the caller does."""
    if sum(len(line) + 1 for line in lines) > MAX_EXPLAINED:
        return [], lines
    problems: list[Problem] = []
    mended = list(lines)
    stop = _outcome(parse, mended)
    for _round in range(10):
        if stop is None:
            break
        last = len(mended) - 1 if stop < 0 else min(stop - first_line, len(mended) - 1)
        candidates = [(i, slip) for i in range(last, -1, -1) if (slip := _slip(mended[i]))][:3]
        for i, (fixed, hint) in candidates:
            trial = [*mended[:i], fixed, *mended[i + 1 :]]
            after = _outcome(parse, trial)
            if after is None or after > stop:
                problems.append(Problem(path, first_line + i + 1, hint))
                mended, stop = trial, after
                break
        else:
            break
    return problems, mended


def mend(lines: list[str], first_line: int, path: str) -> tuple[list[Problem], yaml.MappingNode | None]:
    """For front matter YAML could not read as fields: the keyboard slips that explain it, each
    on its line, and the fields read with the slips mended (so that the rest of the file is
    checked too), or what is still wrong and None. ([], None) when no slip explains it."""
    from .frontmatter import parse_front_matter, yaml_error

    def parse(text: str) -> yaml.Node:
        return parse_front_matter(text, first_line)

    problems, mended = explain(lines, first_line, path, parse)
    if not problems:
        return [], None
    try:
        node = parse("\n".join(mended))
    except yaml.YAMLError as exc:
        return [*problems, yaml_error(exc, path)], None
    return problems, node if isinstance(node, yaml.MappingNode) else None
