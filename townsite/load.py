"""Stage 1, load: find content files, decode them, split front matter from body and parse the
front matter into YAML nodes (which keep line numbers for every value)."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .frontmatter import check_nodes, decode, parse_front_matter, yaml_error
from .problems import Problem
from .schema import SECTION_TO_KIND

MAX_FILE_BYTES = 1_000_000
FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class SourceDoc:
    path: str  # project-relative POSIX path, as shown in messages
    kind: str
    front: yaml.MappingNode  # marks are 0-based file lines
    body: str
    body_line: int  # file line where the body starts
    digest: str  # sha256 of the raw bytes: what this entry was built from


def is_ignored(name: str) -> bool:
    """Editor droppings and hidden files are not content."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".bak", ".swp", ".swo", ".tmp"))
        or name in ("Thumbs.db", "desktop.ini")
    )


def discover(root: Path, content_dir: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Content files as (path, kind), sorted so every run sees them in the same order."""
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    real_content = content_dir.resolve()
    for section, kind in sorted(SECTION_TO_KIND.items()):
        folder = content_dir / section
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not is_ignored(d))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if is_ignored(name) or not name.endswith(".md"):
                    continue
                rel = relpath(path, root)
                if path.is_symlink():
                    target = path.resolve()
                    if not target.is_relative_to(real_content) or not target.is_file():
                        problems.append(
                            Problem(
                                rel,
                                None,
                                ("is a symlink to a file outside content/ (or to nothing); copy the file in instead"),
                            )
                        )
                        continue
                found.append((path, kind))
    return found, problems


def relpath(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_doc(path: Path, kind: str, root: Path) -> tuple[SourceDoc | None, list[Problem]]:
    rel = relpath(path, root)
    problems: list[Problem] = []
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        mb = size / 1_000_000
        return None, [
            Problem(rel, None, (f"file is {mb:.1f} MB; content files are limited to 1 MB: split it or move data out"))
        ]
    raw = path.read_bytes()
    try:
        text = decode(raw)
    except ValueError as exc:
        line, message = str(exc).split(":", 1)
        return None, [Problem(rel, int(line), message)]
    if not text.strip():
        return None, [Problem(rel, None, "file is empty: start it with front matter between `---` lines")]
    lines = text.split("\n")
    if not FENCE.match(lines[0]) or lines[0].startswith("..."):
        return None, [
            Problem(
                rel,
                1,
                (
                    "no front matter: the file must start with a `---` line, then fields such as "
                    "`name: ...`, then another `---` line"
                ),
            )
        ]
    close = next((i for i in range(1, len(lines)) if FENCE.match(lines[i])), None)
    if close is None:
        return None, [Problem(rel, 1, ("front matter is not closed: add a `---` line after the last field"))]
    try:
        node = parse_front_matter("\n".join(lines[1:close]), first_line=1)
    except yaml.YAMLError as exc:
        return None, [yaml_error(exc, rel)]
    if node is None:
        return None, [Problem(rel, 1, "front matter is empty: add the required fields")]
    if not isinstance(node, yaml.MappingNode):
        shape = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        return None, [
            Problem(rel, node.start_mark.line + 1, (f"front matter is {shape}; it must be `field: value` lines"))
        ]
    check_nodes(node, rel, problems)
    if problems:
        return None, problems
    body = "\n".join(lines[close + 1 :])
    digest = hashlib.sha256(raw).hexdigest()
    return SourceDoc(rel, kind, node, body, close + 2, digest), []


def load_sources(root: Path, content_dir: Path) -> tuple[list[SourceDoc], list[Problem]]:
    files, problems = discover(root, content_dir)
    docs: list[SourceDoc] = []
    for path, kind in files:
        doc, found = read_doc(path, kind, root)
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
    return docs, problems
