"""As each output is made, before it is written: every XML output parses, every JSON output
parses, every calendar follows RFC 5545's line grammar (CRLF lines of at most 75 octets, folded
with a space, `NAME;PARAMS:VALUE`, balanced BEGIN/END, no control characters). An output that
would be published invalid fails the build, naming the content file and line that put the
offending character there when one did, so a broken feed is never served (the tests also read
every calendar with icalendar's parser)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from .i18n import _
from .model import Entry, Site
from .problems import UNPRINTABLE, Problem

# A content line and its folded continuations; the value may hold HTAB but no other control.
_ICS_DOCUMENT = re.compile(
    rb"(?:[A-Za-z0-9-]+(?:;[^\x00-\x08\x0a-\x1f\x7f:]*)?:[^\x00-\x08\x0a-\x1f\x7f]*"
    rb"(?:\r\n[ \t][^\x00-\x08\x0a-\x1f\x7f]*)*\r\n)+"
)
_ICS_NESTING = re.compile(rb"^(BEGIN|END):([A-Za-z0-9-]+)\r$", re.MULTILINE)


def calendar_error(data: bytes) -> tuple[int, str] | None:
    """(byte offset, reason) of the first thing RFC 5545 forbids, or None."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start, "not UTF-8"
    match = _ICS_DOCUMENT.match(data)
    end = match.end() if match else 0
    if end != len(data):
        return end, "a line is not `NAME:VALUE` ending in CRLF, or holds a control character"
    if (long := _long_line(data)) is not None:
        return long, "a line is longer than 75 octets"
    stack: list[bytes] = []
    for item in _ICS_NESTING.finditer(data):
        kind, name = item.groups()
        if kind == b"BEGIN":
            stack.append(name.upper())
        elif not stack or stack.pop() != name.upper():
            return item.start(), f"END:{name.decode()} without its BEGIN"
    if stack or not data.startswith(b"BEGIN:VCALENDAR\r\n"):
        return 0, "BEGIN and END do not match, or it does not start with BEGIN:VCALENDAR"
    return None


def _long_line(data: bytes) -> int | None:
    """Offset of the first run of more than 75 octets without CR or LF. Splitting is linear;
    a regular expression for the run tries 76 octets at every offset (a third of the check)."""
    lines = data.replace(b"\r", b"\n").split(b"\n")  # same length: offsets stay true
    if max(map(len, lines)) <= 75:
        return None
    offset = 0
    for line in lines:
        if len(line) > 75:
            return offset
        offset += len(line) + 1
    return None


def xml_error(data: bytes) -> tuple[int, str] | None:
    try:
        ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        lines = data.split(b"\n")
        offset = sum(len(text) + 1 for text in lines[: line - 1]) + column
        return offset, str(exc)
    return None


def json_error(data: bytes) -> tuple[int, str] | None:
    try:
        json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return exc.start, "not UTF-8"
    except json.JSONDecodeError as exc:
        return exc.pos, exc.msg
    return None


CHECKS = {".xml": xml_error, ".json": json_error, ".ics": calendar_error}


def invalid_output(path: str, data: bytes, site: Site) -> Problem | None:
    """A problem when the output at `path` would be published invalid, blamed on the content
    that put the offending character there when one can be found."""
    check = CHECKS.get(path[path.rfind(".") :])
    found = check(data) if check else None
    if found is None:
        return None
    offset, reason = found
    return _blame(path, data, offset, reason, site.all_entries())


def _blame(path: str, data: bytes, offset: int, reason: str, entries: Iterable[Entry]) -> Problem:
    # Only characters no output may hold are blamed on content; anything else is townsite's fault.
    around = data[max(0, offset - 4) : offset + 4].decode("utf-8", "surrogateescape")
    suspects = {c for c in around if UNPRINTABLE.match(c) and c not in "\t\r\n"}
    for entry in entries:
        for key, value in entry.data.items():
            for text in _strings(value):
                hit = next((c for c in suspects if c in text), None)
                if hit is not None:
                    message = _("{field}: U+{code} would make {output} invalid ({reason}); delete or replace it")
                    return Problem(entry.source, entry.lines.get(key), message.format(
                        field=key, code=f"{ord(hit):04X}", output=path, reason=reason))  # fmt: skip
    message = _("would be published invalid ({reason}); this is a bug in townsite: please report it")
    return Problem(path, None, message.format(reason=reason))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
