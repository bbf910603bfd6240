"""YAML as editors write it: decoding with advice, composing to nodes that keep their lines,
and refusing what PyYAML would silently accept (duplicate keys, aliases)."""

from __future__ import annotations

import yaml

from .problems import Problem


def decode(raw: bytes) -> str:
    """UTF-8 (a BOM is tolerated), CRLF and CR folded to LF. Raises ValueError with advice."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            guess = " (it looks like GBK/GB18030, which Windows editors use)"
        except UnicodeDecodeError:
            guess = ""
        raise ValueError(
            f"{line}:file is not UTF-8{guess}; re-save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)"
        ) from None
    if "\x00" in text:
        raise ValueError("1:file contains NUL bytes: it looks binary, not Markdown")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Loader(yaml.SafeLoader):
    """Front matter is data only: no timestamps (dates are checked as text by the schema)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_front_matter(text: str, first_line: int) -> yaml.Node:
    """Compose (not construct) the YAML so values keep their marks; pad with newlines so the
    marks are file lines."""
    return yaml.compose("\n" * first_line + text, Loader=_Loader)


def check_nodes(node: yaml.Node, path: str, problems: list[Problem]) -> None:
    """Duplicate keys and aliases, which PyYAML would silently accept."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            problems.append(
                Problem(
                    path,
                    current.start_mark.line + 1,
                    ("YAML aliases (`*name`) are not allowed in front matter; write the value out"),
                )
            )
            return
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key_node, value_node in current.value:
                key, line = str(key_node.value), key_node.start_mark.line + 1
                if key in keys:
                    problems.append(
                        Problem(path, line, (f"duplicate key `{key}` (first set on line {keys[key]}); keep only one"))
                    )
                keys.setdefault(key, line)
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def yaml_error(exc: yaml.YAMLError, path: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {what}" + (f" ({context})" if context else "")
    if "\t" in what or "'\\t'" in what:
        message += "; indent with spaces, not tabs"
    elif "mapping values are not allowed" in what:
        message += "; a value containing `: ` must be quoted"
    return Problem(path, line, message)
