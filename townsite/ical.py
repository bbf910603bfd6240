"""iCalendar (RFC 5545) content lines, written as the icalendar library writes them, byte for
byte, for the few property types a calendar of this site holds: TEXT, URI, DATE and a UTC
DATE-TIME. A calendar lists the same events as many others (all events, a province, a town,
a program...), and building icalendar's objects for every event in every worker cost more
than the rest of the calendars together. tests/test_ical.py compares these lines with
icalendar's own on text made to be escaped and folded; tests/test_feeds.py whole calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

LIMIT = 75  # octets a folded line stays under, as icalendar counts them
FOLD = "\r\n "
BOM = "\ufeff"


def text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11), in icalendar's order: `\\N` read as a line
    break first, then backslashes, semicolons and commas, then line breaks of any kind."""
    return (
        value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )  # fmt: skip


def _octets(char: str) -> int:
    code = ord(char)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def fold(line: str) -> str:
    """Folded before a character that would bring a line to LIMIT octets, never within a
    character, and never just after a backslash or caret (kept with the character it escapes)."""
    if len(line.encode()) < LIMIT:
        return line
    parts: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = _octets(char)
        if current and count + size >= LIMIT:
            carried = current.pop() if len(current) > 1 and current[-1] in "\\^" else ""
            parts.append("".join(current))
            current = [carried] if carried else []
            count = len(carried)
        current.append(char)
        count += size
    parts.append("".join(current))
    return FOLD.join(parts)


def line(name: str, value: str) -> str:
    """A content line, `value` already in its type's form (escaped TEXT, a URI, a date).
    icalendar reads each value back as UTF-8 with a signature, which drops one leading U+FEFF."""
    if "\r" in value or "\n" in value:  # TEXT is escaped: only a URI could hold one
        raise ValueError(f"a line break in the {name} of a calendar: {value!r}")
    return fold(f"{name}:{value.removeprefix(BOM)}") + "\r\n"


def date(day: dt.date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"  # strftime drops the zeros of a year before 1000


def utc(instant: dt.datetime) -> str:
    if instant.utcoffset() != dt.timedelta(0):
        raise ValueError(f"not a UTC time: {instant}")
    return f"{date(instant)}T{instant.hour:02}{instant.minute:02}{instant.second:02}Z"


def component(name: str, lines: Iterable[str]) -> bytes:
    return f"BEGIN:{name}\r\n{''.join(lines)}END:{name}\r\n".encode()
