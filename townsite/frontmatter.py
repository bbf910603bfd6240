"""YAML as editors write it: decoding with advice, composing to nodes that keep their lines,
and refusing what PyYAML would silently accept (duplicate keys, aliases, custom tags)."""

from __future__ import annotations

import re

import yaml

from .i18n import N_, _
from .limits import unpublishable
from .problems import Problem

# Real front matter nests three levels at most (links → item → url); a hostile `[[[[…` must
# not reach PyYAML's recursive composer, whose RecursionError would escape as a traceback.
MAX_DEPTH = 20
# Line breaks YAML counts besides \n (pasted from Word, invisible): read as spaces, so a value
# stays on its line and YAML's line numbers stay the file's.
UNICODE_BREAKS = str.maketrans({"\x85": " ", "\u2028": " ", "\u2029": " "})
STANDARD_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "merge", "value")
)
ALIAS_MESSAGE = N_("YAML aliases (`*name`) are not allowed in front matter; write the value out")
# PyYAML's own wording for the errors editors meet most, translated where shown.
PYYAML_PROBLEMS = (
    N_("mapping values are not allowed here"),
    N_("could not find expected ':'"),
    N_("did not find expected key"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"),
    N_("found character '\\t' that cannot start any token"),
    N_("found unexpected end of stream"),
    N_("found unexpected ':'"),
    N_("while scanning a simple key"),
    N_("while parsing a block mapping"),
    N_("while parsing a block collection"),
    N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a plain scalar"),
    N_("while parsing a flow node"),
    N_("while parsing a block node"),
    N_("while scanning for the next token"),
    N_("while scanning a block scalar"),
)


class Undecodable(Exception):
    """A file that is not UTF-8 text: `line` where decoding failed (None: the file as a
    whole) and `advice`, the message for the editor."""

    def __init__(self, line: int | None, advice: str):
        super().__init__(advice)
        self.line = line
        self.advice = advice


def decode(raw: bytes) -> str:
    """UTF-8 (a BOM is tolerated), CRLF and CR folded to LF; else raises Undecodable."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode"
        raise Undecodable(None, _("file is UTF-16; re-save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)"))
    if b"\x00" in raw:  # before decoding: a PNG renamed .md is binary, not "GBK"
        raise Undecodable(None, _("file contains NUL bytes: it looks binary (an image or a document), not Markdown"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            advice = _(
                "file is not UTF-8 (it looks like GBK/GB18030, which Windows editors use); "
                "re-save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)"
            )
        except UnicodeDecodeError:
            advice = _("file is not UTF-8; re-save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)")
        raise Undecodable(line, advice) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


class FrontMatterError(yaml.MarkedYAMLError):
    """A refusal of ours, reported like a syntax error but with its own message."""


class _Loader(yaml.SafeLoader):
    """Front matter is data only: no timestamps (dates are checked as text by the schema), no
    aliases (the billion-laughs bomb is refused before it is expanded), bounded nesting."""

    _depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise FrontMatterError(problem=_(ALIAS_MESSAGE), problem_mark=event.start_mark)  # type: ignore[arg-type]
        if self._depth >= MAX_DEPTH:
            raise FrontMatterError(
                problem=_(
                    "values are nested more than {depth} levels deep; front matter is a flat list of fields"
                ).format(depth=MAX_DEPTH),
                problem_mark=event.start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_CLoader = getattr(yaml, "CSafeLoader", None)


class _FastLoader(*((_CLoader,) if _CLoader else ())):  # type: ignore[misc]
    """libyaml's composer, six times faster, for front matter that cannot need the checks above:
    no anchors, aliases or tags, no flow mappings or nested flow lists, no deep indentation
    (libyaml composes recursively in C: a deep enough nesting would crash it)."""


if _CLoader:
    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
_NEEDS_STRICT = re.compile(r"[&*!{]|\[[^\]\n]*\[|-[ \t]+-[ \t]|^[ \t]{20,}", re.MULTILINE)


def parse_front_matter(text: str, first_line: int) -> yaml.Node:
    """Compose (not construct) the YAML so values keep their marks; pad with newlines so the
    marks are file lines. Plain front matter takes libyaml; anything unusual, and any error,
    goes through the strict pure-Python composer, whose messages are the ones editors see."""
    padded = "\n" * first_line + text.translate(UNICODE_BREAKS)
    if _CLoader and not _NEEDS_STRICT.search(padded):
        try:
            return yaml.compose(padded, Loader=_FastLoader)  # type: ignore[return-value]
        except yaml.YAMLError:
            pass  # parse again below for the strict composer's message
    try:
        return yaml.compose(padded, Loader=_Loader)  # type: ignore[return-value]
    except yaml.reader.ReaderError as exc:  # has a position, not a line: give it one
        line = padded[: exc.position].count("\n")
        mark = yaml.Mark("front matter", exc.position, line, 0, None, None)  # type: ignore[arg-type]
        what = exc.reason
        if isinstance(exc.character, int):
            what = _("contains the control character {code}; delete it").format(code=f"U+{exc.character:04X}")
        raise FrontMatterError(problem=what, problem_mark=mark) from None


def check_nodes(node: yaml.Node, path: str, problems: list[Problem]) -> None:
    """Duplicate keys, which PyYAML would silently accept, tags that ask for more than data, and
    characters no page may carry, written as escapes (`"\\ud800"`: raw ones are refused above)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode) and (bad := unpublishable(current.value)):
            problems.append(Problem(path, current.start_mark.line + 1, bad[1]))
        if current.tag not in STANDARD_TAGS:
            tag = current.tag.replace("tag:yaml.org,2002:", "!!")
            message = _("YAML tag `{tag}` is not allowed; delete it").format(tag=tag)
            problems.append(Problem(path, current.start_mark.line + 1, message))
        if isinstance(current, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key_node, value_node in current.value:
                key, line = str(key_node.value), key_node.start_mark.line + 1
                if key in keys:
                    message = _("duplicate key `{key}` (first set on line {first}); keep only one")
                    problems.append(Problem(path, line, message.format(key=key, first=keys[key])))
                keys.setdefault(key, line)
                stack.extend((key_node, value_node))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def yaml_error(exc: yaml.YAMLError, path: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, FrontMatterError):
        return Problem(path, line, what)
    context = getattr(exc, "context", None)
    if context:
        message = _("YAML syntax error: {problem} ({context})").format(problem=_(what), context=_(context))
    else:
        message = _("YAML syntax error: {problem}").format(problem=_(what))
    return Problem(path, line, message + _hint(mark))


def _hint(mark: yaml.Mark | None) -> str:
    """Advice read from the text where the composer stopped (PyYAML's messages have no codes,
    and their wording is not ours to branch on): a tab there, or a second `: ` on its line."""
    if mark is None or not isinstance(mark.buffer, str):
        return ""
    text, at = mark.buffer, mark.pointer
    here = text[at : at + 2]
    if here.startswith("\t"):
        return _("; indent with spaces, not tabs")
    before = text[text.rfind("\n", 0, at) + 1 : at]
    if here in (": ", ":\n") and ": " in before:
        return _("; a value containing `: ` must be quoted")
    return ""
