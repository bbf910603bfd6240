"""The site's feeds: iCalendar (RFC 5545) for events, its head made with the icalendar library
and its events' lines by ical.py as icalendar would write them, and Atom (RFC 4287) for the
newest dated entries, made with ElementTree so every value is escaped. Both depend only on
the content and the build date, so two builds give the same bytes."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import icalendar

from . import ical
from .config import SiteConfig
from .formatting import date_range_zh, date_zh
from .model import Entry
from .places import place_of

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_SIZE = 30  # entries in /feed.xml
# Dates in the content are calendar days in China; Atom wants instants.
CHINA = dt.timezone(dt.timedelta(hours=8))


def host(config: SiteConfig) -> str:
    return urlsplit(config.base_url).hostname or "localhost"


def event_uid(event: Entry, config: SiteConfig) -> str:
    """The slug is the event's identity: the same UID in every build and in every feed."""
    return f"{event.slug}@{host(config)}"


def place_text(event: Entry) -> str:
    """Province, city and venue, large to small, without repeats: 四川省宜宾市翠屏区."""
    return place_of(event)


class Calendars:
    """The iCalendar feeds of one build: an all-day VEVENT per event. Text is escaped, lines
    are folded at 75 octets without splitting a UTF-8 character and end with CRLF.

    An event is listed by several calendars (all events, its program, province, town...), so
    each VEVENT is serialized once and reused: icalendar writes a calendar as its own lines,
    then each component's lines, then END:VCALENDAR, so the joined bytes are the same as
    serializing the whole calendar at once (tests/test_feeds.py checks it)."""

    END = b"END:VCALENDAR\r\n"

    def __init__(
        self, config: SiteConfig, today: dt.date, abs_url: Callable[[str], str],
        known: dict[tuple[str, str], bytes] | None = None,
    ):  # fmt: skip
        self.config = config
        self.abs_url = abs_url
        # DTSTAMP is when this calendar was made; the build date keeps rebuilds byte-identical.
        self.stamp = dt.datetime.combine(today, dt.time(), dt.UTC)
        # (source, front-matter digest) -> VEVENT; `known`: those of an earlier run with the
        # same configuration, date and addresses (the live engine keeps them between updates).
        self._events: dict[tuple[str, str], bytes] = {} if known is None else known
        # Every calendar's head is the same but for its name: serialized once with a
        # placeholder name whose lines each calendar replaces with those of its own.
        self._head = self.head(self.PLACEHOLDER).to_ical()[: -len(self.END)]
        self._placeholder_lines = self.name_lines(self.PLACEHOLDER)

    PLACEHOLDER = "townsite-calendar-name"

    def __call__(self, events: Sequence[Entry], name: str) -> bytes:
        head = self._head
        for old, new in zip(self._placeholder_lines, self.name_lines(name), strict=True):
            head = head.replace(old, new, 1)
        return head + b"".join(map(self.event, events)) + self.END

    def head(self, name: str) -> icalendar.Calendar:
        cal = icalendar.Calendar()
        cal.add("prodid", f"-//townsite//{host(self.config)}//ZH")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("name", name)
        cal.add("x-wr-calname", name)  # the name most calendar apps still read
        cal.add("url", self.config.base_url)
        return cal

    @staticmethod
    def name_lines(name: str) -> list[bytes]:
        """The calendar's lines that hold its name, each with the line ends around it."""
        cal = icalendar.Calendar()
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        lines = [line for line in cal.content_lines() if line.startswith(("NAME:", "X-WR-CALNAME:"))]
        return [b"\r\n" + line.to_ical() + b"\r\n" for line in lines]

    def event(self, event: Entry) -> bytes:
        key = (event.source, event.front_digest)
        if key not in self._events:
            self._events[key] = self.vevent(event)
        return self._events[key]

    def vevent(self, event: Entry) -> bytes:
        """The event's VEVENT, its properties in icalendar's order (its canonical ones, then the
        rest alphabetically), so that a calendar is what icalendar itself would write."""
        place = place_text(event)
        end = (event.end or event.date) + dt.timedelta(days=1)  # exclusive for all-day events
        lines = [
            ical.line("SUMMARY", ical.text(event.title)),
            ical.line("DTSTART;VALUE=DATE", ical.date(event.date)),
            ical.line("DTEND;VALUE=DATE", ical.date(end)),
            ical.line("DTSTAMP", ical.utc(self.stamp)),
            ical.line("UID", ical.text(event_uid(event, self.config))),
            ical.line("CATEGORIES", ical.text(event.event_type)),
            ical.line("DESCRIPTION", ical.text(_description(event, self.abs_url))),
            *([ical.line("LOCATION", ical.text(place))] if place else []),
            ical.line("TRANSP", "TRANSPARENT"),  # a public event does not make its subscribers busy
            ical.line("URL", self.abs_url(event.url)),
        ]
        return ical.component("VEVENT", lines)


def _description(event: Entry, abs_url: Callable[[str], str]) -> str:
    lines = [event.summary]
    if event.organizers:
        lines.append("主办：" + "、".join(event.organizers))
    lines.append(abs_url(event.url))
    return "\n".join(lines)


def _instant(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), CHINA).isoformat()


def feed_items(entries: Sequence[Entry], size: int = ATOM_SIZE) -> list[tuple[dt.date, Entry]]:
    """The newest dated entries: events by their start (upcoming ones too), towns by their opening."""
    dated = [(e.start, e) for e in entries if e.kind in ("event", "town") and e.start]
    return sorted(dated, key=lambda pair: (-pair[0].toordinal(), pair[1].kind, pair[1].slug))[:size]


def atom(
    entries: Sequence[Entry], config: SiteConfig, today: dt.date, abs_url: Callable[[str], str], self_path: str
) -> bytes:
    items = feed_items(entries)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": config.language})
    ET.SubElement(feed, "id").text = config.base_url
    ET.SubElement(feed, "title").text = config.title
    ET.SubElement(feed, "subtitle").text = config.description
    # The newest item's date, so the feed changes only when its content does.
    ET.SubElement(feed, "updated").text = _instant(items[0][0] if items else today)
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": config.base_url})
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": abs_url(self_path)})
    author = ET.SubElement(feed, "author")
    ET.SubElement(author, "name").text = (config.organization or {}).get("name") or config.title
    ET.SubElement(author, "uri").text = config.base_url
    ET.SubElement(feed, "generator").text = "townsite"
    for day, item in items:
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "id").text = abs_url(item.url)
        ET.SubElement(entry, "title").text = item.title
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": abs_url(item.url)})
        ET.SubElement(entry, "published").text = _instant(day)
        ET.SubElement(entry, "updated").text = _instant(day)
        if item.kind == "event":
            ET.SubElement(entry, "category", {"term": item.event_type})
            lead = " · ".join(x for x in (date_range_zh(item.date, item.end), place_text(item)) if x)
        else:
            ET.SubElement(entry, "category", {"term": "特色小镇"})
            lead = f"{date_zh(day)}开园"
        ET.SubElement(entry, "summary").text = f"{lead}。{item.summary or ''}"
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
