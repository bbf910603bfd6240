"""Stage 1, load: find content files, decode them, split front matter from body and parse the
front matter into YAML nodes (which keep line numbers for every value)."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import slips
from .compound import PICTURE_SUFFIXES
from .frontmatter import Undecodable, check_nodes, decode, parse_front_matter, yaml_error
from .i18n import N_, _
from .problems import Problem
from .schema import SECTION_TO_KIND

MAX_FILE_BYTES = 1_000_000
FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
SYMLINKED_FOLDER = N_("is a symlinked folder, which is not followed: put the files themselves in content/")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff", ".heic", ".avif")


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
    """Content files as (path, kind), sorted so every run sees them in the same order. Anything
    in a content folder that would silently not be published (a typo'd folder, an image, a
    symlinked folder) is a problem, and nothing outside content/ is ever read."""
    found: list[tuple[Path, str]] = []
    problems = _strays(root, content_dir)
    real_content = content_dir.resolve()
    for section, kind in sorted(SECTION_TO_KIND.items()):
        folder = content_dir / section
        if folder.is_symlink():
            problems.append(Problem(relpath(folder, root), None, _(SYMLINKED_FOLDER)))
            continue
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):  # never follows symlinked folders
            here = Path(dirpath)
            linked = {d for d in dirnames if (here / d).is_symlink() and not is_ignored(d)}
            for name in sorted(linked):
                problems.append(Problem(_printable(relpath(here / name, root)), None, _(SYMLINKED_FOLDER)))
            dirnames[:] = sorted(d for d in dirnames if not is_ignored(d) and d not in linked)
            for name in sorted(filenames):
                if is_ignored(name) or name.lower().endswith(PICTURE_SUFFIXES):
                    continue  # pictures beside entries: pictures.py checks and publishes them
                path = here / name
                problem = _file_problem(path, real_content)
                if problem:
                    problems.append(Problem(_printable(relpath(path, root)), None, problem))
                else:
                    found.append((path, kind))
    return found, problems


def _file_problem(path: Path, real_content: Path) -> str | None:
    """Why a file in a content folder cannot be read as content, or None when it can."""
    name = path.name
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return _("file name contains control characters; rename it")
    if not is_utf8_name(str(path)):
        return _("file name is not valid UTF-8 (its bytes are shown as \\xNN); rename it")
    if name.lower().endswith(IMAGE_SUFFIXES):
        return _(
            "is an image: images are published from static/; move it there and show it with ![说明](/static/{name})"
        ).format(name=name)
    if not name.endswith(".md"):
        return _("is not a content file: content files are Markdown files ending in `.md`; rename it or move it out")
    if not path.is_symlink():  # the common case: one lstat, no path resolution
        if stat.S_ISREG(path.lstat().st_mode):
            return None
        return _("is not a regular file; content files are plain Markdown files")
    try:
        target = path.resolve()
        regular = target.is_file()
    except (OSError, RuntimeError):  # a symlink loop
        target, regular = path, False
    if not (target.is_relative_to(real_content) and regular):
        return _("is a symlink to a file outside content/ (or to nothing); copy the file in instead")
    return None


def _strays(root: Path, content_dir: Path) -> list[Problem]:
    """Content put beside the section folders, where it would be ignored."""
    problems: list[Problem] = []
    if not content_dir.is_dir():
        return problems
    sections = sorted(SECTION_TO_KIND)
    for path in sorted(content_dir.iterdir()):
        name = path.name
        if is_ignored(name) or name in SECTION_TO_KIND:
            continue
        close = difflib.get_close_matches(name.lower(), sections, n=1, cutoff=0.75)
        if path.is_dir() and close:
            message = _("is not a content folder (did you mean `{folder}`?); move its files into content/{folder}/")
            problems.append(Problem(relpath(path, root), None, message.format(folder=close[0])))
        elif name.endswith(".md") and not name.upper().startswith("README"):
            message = _("is outside the content folders: move it into towns/, parks/, events/ or pages/")
            problems.append(Problem(relpath(path, root), None, message))
    return problems


def unreadable_message(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return _("cannot be read: permission denied; give the user running townsite read access (chmod a+r)")
    if isinstance(exc, FileNotFoundError):
        return _("disappeared while it was being read (deleted or renamed meanwhile); run again")
    return _("cannot be read: {reason}").format(reason=exc.strerror or exc)


def is_utf8_name(text: str) -> bool:
    """False for a path holding bytes that are not UTF-8 (Python keeps them as U+DC80..U+DCFF)."""
    return not any("\udc80" <= c <= "\udcff" for c in text)


def _printable(text: str) -> str:
    """A path shown in a message may not carry a newline that would forge another message, nor
    the stand-ins for bytes that are not UTF-8 (shown as the bytes: \\xff)."""
    return "".join(
        f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else c if ord(c) >= 32 and ord(c) != 127
        else f"\\x{ord(c):02x}" for c in text
    )  # fmt: skip


def relpath(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_doc(path: Path, kind: str, root: Path) -> tuple[SourceDoc | None, list[Problem]]:
    rel = relpath(path, root)
    problems: list[Problem] = []
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = _("file is {size} MB; content files are limited to 1 MB: split it or move data out")
            return None, [Problem(rel, None, message.format(size=f"{size / 1_000_000:.1f}"))]
        raw = path.read_bytes()
    except OSError as exc:  # unreadable, or deleted since it was listed
        return None, [Problem(_printable(rel), None, unreadable_message(exc))]
    try:
        text = decode(raw)
    except Undecodable as exc:
        return None, [Problem(rel, exc.line, exc.advice)]
    if not text.strip():
        return None, [Problem(rel, None, _("file is empty: start it with front matter between `---` lines"))]
    lines = text.split("\n")
    if not FENCE.match(lines[0]) or lines[0].startswith("..."):
        message = _(
            "no front matter: the file must start with a `---` line, then fields such as "
            "`name: ...`, then another `---` line"
        )
        return None, [Problem(rel, 1, message)]
    close = next((i for i in range(1, len(lines)) if FENCE.match(lines[i])), None)
    if close is None:
        return None, [Problem(rel, 1, _("front matter is not closed: add a `---` line after the last field"))]
    slipped: list[Problem] = []  # keyboard slips: reported, and the fields read as meant
    node: yaml.Node | None
    try:
        node = parse_front_matter("\n".join(lines[1:close]), first_line=1)
    except yaml.YAMLError as exc:
        slipped, node = slips.mend(lines[1:close], 1, rel)
        if node is None:
            return None, slipped or [yaml_error(exc, rel)]
    if node is None:
        return None, [Problem(rel, 1, _("front matter is empty: add the required fields"))]
    if not isinstance(node, yaml.MappingNode):
        if isinstance(node, yaml.SequenceNode):
            message = _("front matter is a list; it must be `field: value` lines")
        else:
            message = _("front matter is a single value; it must be `field: value` lines")
        shape = Problem(rel, node.start_mark.line + 1, message)
        slipped, node = slips.mend(lines[1:close], 1, rel)
        if node is None:
            return None, slipped or [shape]
    assert isinstance(node, yaml.MappingNode)
    check_nodes(node, rel, problems)
    if problems:
        return None, slipped + problems
    body = "\n".join(lines[close + 1 :])
    digest = hashlib.sha256(raw).hexdigest()
    return SourceDoc(rel, kind, node, body, close + 2, digest), slipped


# (path, sha256 of the bytes) -> what reading them gave; kept by `serve` between rebuilds.
LoadCache = dict[tuple[str, str], tuple["SourceDoc | None", list[Problem]]]


def load_sources(
    root: Path, content_dir: Path, cache: LoadCache | None = None
) -> tuple[list[SourceDoc], list[Problem]]:
    files, problems = discover(root, content_dir)
    docs: list[SourceDoc] = []
    for path, kind in files:
        if cache is None:
            doc, found = read_doc(path, kind, root)
        else:
            doc, found = _read_cached(path, kind, root, cache)
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
    return docs, problems


def load_one(path: Path, kind: str, root: Path, cache: LoadCache) -> tuple[list[SourceDoc], list[Problem]]:
    """One file, as load_sources would read it (for `serve`'s fast path)."""
    doc, problems = _read_cached(path, kind, root, cache)
    return ([doc] if doc else []), problems


def _read_cached(path: Path, kind: str, root: Path, cache: LoadCache) -> tuple[SourceDoc | None, list[Problem]]:
    """Files are always read and hashed (timestamps can repeat within a tick); only parsing
    is skipped for bytes seen before."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return read_doc(path, kind, root)
        key = (relpath(path, root), hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError:
        return read_doc(path, kind, root)
    if key not in cache:
        cache[key] = read_doc(path, kind, root)
    return cache[key]
