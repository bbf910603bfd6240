"""The timeline (大事记): every event in chronological order, grouped by year and month and split
into upcoming and past at the build date; a filter page per program, province, town, park and
kind of event; the per-entry timelines of town, park and program pages; and the feeds (all
events and each filter as iCalendar, the newest entries as Atom)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from .feeds import Calendars, atom, feed_items, place_text
from .formatting import date_range_zh
from .model import Entry, Site
from .pages import digest, named, names_on_items
from .render import PageSpec, Renderer
from .schema import EVENT_TYPES
from .slugs import slugify

TIMELINE_URL = "/timeline/"
NEWEST_URL = "/timeline/newest/"
ICS_URL = "/events.ics"
ATOM_URL = "/feed.xml"
# (key in URLs and data attributes, label); the URL of a filter is /timeline/<key>/<slug>/.
DIMENSIONS = (
    ("program", "工程"), ("province", "省份"), ("town", "小镇"), ("park", "园区"), ("org", "机构"), ("type", "类型")
)  # fmt: skip
TYPE_SLUGS = {name: slugify(name) for name in EVENT_TYPES}
# Past this many towns (or parks), timeline pages do not list them as filters: every timeline
# page would list them all, and the site would grow with the square of its content. Their
# filter pages stay, linked from each town's and park's own page.
LISTED_ENTRY_FILTERS = 60


@dataclass(frozen=True)
class FilterValue:
    dimension: str
    label: str  # of the dimension: 工程
    slug: str
    name: str
    about: str | None  # the page that presents the value (a term or an entry), if any
    events: tuple[Entry, ...]  # chronological

    @property
    def url(self) -> str:
        return f"/timeline/{self.dimension}/{self.slug}/"

    @property
    def feed_url(self) -> str:
        return self.url + "events.ics"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    values: tuple[FilterValue, ...]


@dataclass(frozen=True)
class Month:
    month: int
    events: list[Entry]


@dataclass(frozen=True)
class Year:
    year: int
    anchor: str  # fragment id; a year in both parts gets a second one
    months: list[Month]


@dataclass(frozen=True)
class Part:
    key: str  # past | upcoming, also the fragment id
    label: str
    empty: str  # shown when the part has no events
    years: list[Year]


def chronological(events: Iterable[Entry]) -> list[Entry]:
    return sorted(events, key=lambda e: (e.date, e.end or e.date, e.slug))


def is_upcoming(event: Entry, today: dt.date) -> bool:
    """Upcoming until its last day is over, so an event in progress is never filed as past."""
    return (event.end or event.date) >= today


def when(event: Entry) -> tuple[str, str | None]:
    """The displayed range split at its dash: ("2016年7月28日", "29日"), or (date, None)."""
    head, _, tail = date_range_zh(event.date, event.end).partition("—")
    return head, tail or None


def group(events: Sequence[Entry], today: dt.date, newest_first: bool = False, keep_empty: bool = True) -> list[Part]:
    """Past then upcoming, each by year and month, oldest first (or everything reversed)."""
    ordered = chronological(events)
    upcoming = [is_upcoming(e, today) for e in ordered]
    parts = [
        ("past", "往期活动", "暂无往期活动。", [e for e, up in zip(ordered, upcoming, strict=True) if not up]),
        ("upcoming", "即将举行", "暂无即将举行的活动。", [e for e, up in zip(ordered, upcoming, strict=True) if up]),
    ]
    if newest_first:
        parts = [(key, label, empty, items[::-1]) for key, label, empty, items in reversed(parts)]
    seen: set[int] = set()
    result: list[Part] = []
    for key, label, empty, items in parts:
        if not items and not keep_empty:
            continue
        years: list[Year] = []
        for event in items:
            if not years or years[-1].year != event.date.year:
                year = event.date.year
                years.append(Year(year, f"y{year}" if year not in seen else f"y{year}-{key}", []))
                seen.add(year)
            months = years[-1].months
            if not months or months[-1].month != event.date.month:
                months.append(Month(event.date.month, []))
            months[-1].events.append(event)
        result.append(Part(key, label, empty, years))
    return result


def year_index(parts: Sequence[Part]) -> list[tuple[int, str]]:
    """(year, fragment) of each year's first group, in page order."""
    index: dict[int, str] = {}
    for part in parts:
        for year in part.years:
            index.setdefault(year.year, year.anchor)
    return list(index.items())


class TimelineView:
    """What templates need from the timeline, as the `timeline` global."""

    def __init__(self, site: Site, today: dt.date):
        self.site = site
        self.today = today
        self.events = chronological(site.entries["event"])
        taxonomies = site.taxonomies
        self.term_slugs = {name: {t.name: t.slug for t in taxonomies[name].terms} for name in ("program", "province")}
        self.keys = {event.slug: self._keys(event) for event in self.events}
        self.dimensions = [Dimension(key, label, tuple(self._values(key, label))) for key, label in DIMENSIONS]
        self.by_url = {v.url: v for d in self.dimensions for v in d.values}
        self.listed = [
            d for d in self.dimensions
            if d.values and (d.key not in ("town", "park", "org") or len(d.values) <= LISTED_ENTRY_FILTERS)
        ]  # fmt: skip
        self._listed_urls = {v.url for d in self.listed for v in d.values}
        # What the filter list of every timeline page shows, for its fingerprint.
        listed = [(d.key, v.slug, v.name, len(v.events)) for d in self.listed for v in d.values]
        self.filters_digest = digest(len(self.events), *listed)
        self._named = {event.source: names_on_items([event]) for event in self.events}
        self._versions: dict[str, tuple[Any, ...]] = {}  # see item_version

    def names(self, events: Iterable[Entry]) -> frozenset[str]:
        """The entries the items of `events` name (see pages.names_on_items)."""
        return frozenset().union(*(self._named[event.source] for event in events))

    def item_version(self, event: Entry) -> tuple[Any, ...]:
        """What an event's timeline item shows beyond what every page shows (configuration,
        build date, terms, templates: see templating.KeptFragments): the event's fields, what
        it shows of itself and of its towns, parks and orgs (names, addresses, provinces: the
        filter attributes are made of them), whether it is in progress."""
        version = self._versions.get(event.source)
        if version is None:  # once per run: /timeline/, /timeline/newest/ and filter pages show the item
            linked = tuple(named(other) for kind in ("town", "park", "org") for other in event.related(kind))
            version = self._versions[event.source] = (event.front_digest, named(event), linked, self.in_progress(event))
        return version

    def _keys(self, event: Entry) -> dict[str, list[str]]:
        """The filter slugs an event is found under, per dimension."""
        programs, provinces = self.term_slugs["program"], self.term_slugs["province"]
        # An event is found under its own province and under those of its towns and parks.
        places = [event, *event.related("town"), *event.related("park")]
        in_provinces = dict.fromkeys(p.province for p in places if p.province in provinces)
        return {
            "program": [programs[name] for name in event.programs or []],
            "province": [provinces[name] for name in in_provinces],
            "town": [t.slug for t in event.related("town")],
            "park": [p.slug for p in event.related("park")],
            "org": [o.slug for o in event.related("org")],
            "type": [TYPE_SLUGS[event.event_type]],
        }

    def _values(self, dimension: str, label: str) -> Iterator[FilterValue]:
        site = self.site
        candidates: dict[str, list[tuple[str, str, str | None]]] = {
            "program": [(t.slug, t.name, t.url) for t in site.taxonomies["program"].terms],
            "province": [(t.slug, t.name, t.url) for t in site.taxonomies["province"].terms],
            "town": [(e.slug, e.title, e.url) for e in site.entries["town"]],
            "park": [(e.slug, e.title, e.url) for e in site.entries["park"]],
            "org": [(e.slug, e.title, e.url) for e in site.entries.get("org", [])],
            "type": [(slug, name, None) for name, slug in TYPE_SLUGS.items()],
        }
        carrying: dict[str, list[Entry]] = {}
        for event in self.events:  # one pass, in chronological order
            for slug in self.keys[event.slug][dimension]:
                carrying.setdefault(slug, []).append(event)
        for slug, name, about in candidates[dimension]:
            if slug in carrying:
                yield FilterValue(dimension, label, slug, name, about, tuple(carrying[slug]))

    # --- for templates -------------------------------------------------------------------------
    def parts(self, events: Iterable[Entry]) -> list[Part]:
        """A per-entry timeline: only the parts that have events."""
        return group(list(events), self.today, keep_empty=False)

    def data(self, event: Entry) -> list[tuple[str, str]]:
        """data-* attributes the script filters by: ("program", "slug-a slug-b"), ..."""
        return [(key, " ".join(slugs)) for key, slugs in self.keys[event.slug].items()]

    def programs(self, event: Entry) -> list[tuple[str, str]]:
        """(name, term page) of each program an event belongs to."""
        terms = {t.name: t.url for t in self.site.taxonomies["program"].terms}
        return [(name, terms[name]) for name in event.programs or []]

    def when(self, event: Entry) -> tuple[str, str | None]:
        return when(event)

    def place(self, event: Entry) -> str:
        return place_text(event)

    def in_progress(self, event: Entry) -> bool:
        return event.date < self.today <= (event.end or event.date)

    def filters_key(self, current: FilterValue | None, complete: bool) -> tuple[str, str | None, bool]:
        """What a page's filter list depends on: the pages of unlisted values share one."""
        listed = current is not None and current.url in self._listed_urls
        return ("timeline-filters", current.url if listed and current else None, complete)

    def filter_of(self, dimension: str, slug: str) -> FilterValue | None:
        return self.by_url.get(f"/timeline/{dimension}/{slug}/")

    def page_filter(self, page: dict[str, Any]) -> FilterValue | None:
        """The filter whose calendar belongs to a page: its own, or that of its town, park or program."""
        if page.get("filter"):
            return page["filter"]
        entry = page.get("entry")
        if entry is not None and entry.kind in ("town", "park", "org"):
            return self.filter_of(entry.kind, entry.slug)
        term = page.get("program_term") or page.get("term")
        if term is not None and term.taxonomy in ("program", "province"):
            return self.filter_of(term.taxonomy, term.slug)
        return None

    def feeds(self, page: dict[str, Any], title: str) -> list[tuple[str, str, str]]:
        """(MIME type, title, site path) of the feeds a page announces with <link rel="alternate">."""
        links = [("application/atom+xml", f"{title}：最新动态", ATOM_URL)]
        if self.events:
            links.append(("text/calendar", f"{title}：全部活动日历", ICS_URL))
        value = self.page_filter(page)
        if value is not None:
            links.append(("text/calendar", f"{value.name}：活动日历", value.feed_url))
        return links

    def calendars(self, *dimensions: str) -> list[FilterValue]:
        return [v for d in self.dimensions if d.key in dimensions for v in d.values]


class Timeline:
    """The Feature: /timeline/ and its filter pages, per-entry timelines, /events.ics, /feed.xml."""

    name = "timeline"

    def __init__(self) -> None:
        # The VEVENTs of the last run and what they were made with (see `_known_vevents`).
        self._vevents: tuple[tuple[str, ...], dict[tuple[str, str], bytes]] = ((), {})

    def _known_vevents(self, renderer: Renderer, events: Sequence[Entry]) -> dict[tuple[str, str], bytes]:
        """The last run's VEVENTs of events unchanged since, when the configuration, date and
        addresses are the same: after an edit, only the edited event is serialized again."""
        settings = (repr(renderer.config), renderer.today.isoformat(), renderer.abs_url("/"))
        kept, known = self._vevents
        current = {(e.source, e.front_digest) for e in events}
        reused = {key: value for key, value in known.items() if key in current} if kept == settings else {}
        self._vevents = (settings, reused)
        return reused

    def nav_items(self, site: Site) -> list[tuple[str, str]]:
        return [(TIMELINE_URL, "大事记")]

    def pages(self, renderer: Renderer) -> Iterator[PageSpec]:
        view = TimelineView(renderer.site, renderer.today)
        renderer.env.globals["timeline"] = view
        config = renderer.config
        calendar = Calendars(config, view.today, renderer.abs_url, self._known_vevents(renderer, view.events))
        everything = view.events
        summary = f"{config.title}收录的全部 {len(everything)} 项活动，按年月排列。"
        for url, newest in ((TIMELINE_URL, False), (NEWEST_URL, True)):
            page = self._page(view, url, "大事记" + ("（最新在前）" if newest else ""), summary, everything, newest)
            page["complete"] = True
            yield self._spec(view, page, everything)
        for dimension in view.dimensions:
            for value in dimension.values:
                title = f"大事记：{value.name}"
                summary = f"与“{value.name}”相关的 {len(value.events)} 项活动，按时间顺序排列。"
                page = self._page(view, value.url, title, summary, value.events, False)
                page["filter"] = value
                yield self._spec(view, page, value.events)
                name = f"{value.name} · {config.short_title}大事记"
                # Calendars are made only when what they show changed (`make` is called lazily):
                # their name, and each VEVENT shows only its event's own fields.
                make = partial(calendar, value.events, name)
                yield PageSpec(value.feed_url, "", {}, _sources(value.events), make=make, extra=name)
        if everything:  # RFC 5545 wants at least one component in a calendar
            make = partial(calendar, everything, f"{config.title} · 大事记")
            yield PageSpec(ICS_URL, "", {}, _sources(everything), make=make)
        entries = renderer.site.all_entries()
        make = partial(atom, entries, config, view.today, renderer.abs_url, ATOM_URL)
        yield PageSpec(ATOM_URL, "", {}, _sources(entry for _, entry in feed_items(entries)), make=make)

    @staticmethod
    def _spec(view: TimelineView, page: dict[str, Any], events: Sequence[Entry]) -> PageSpec:
        """A timeline page shows its events (any of their fields), names their towns, parks and
        orgs, and lists the filter values (and, when complete, the calendars) with their counts."""
        value: FilterValue | None = page["filter"]
        shown = (value.dimension, value.slug, value.name, value.about) if value else ()
        extra = digest(view.filters_digest, *shown)
        return PageSpec(page["url"], "timeline.html", {"page": page}, _sources(events), extra=extra,
                        names=view.names(events))  # fmt: skip

    @staticmethod
    def _page(
        view: TimelineView, url: str, title: str, summary: str, events: Sequence[Entry], newest: bool
    ) -> dict[str, Any]:
        def grouped() -> dict[str, Any]:
            parts = group(events, view.today, newest_first=newest)
            upcoming = sum(is_upcoming(e, view.today) for e in events)
            return {"parts": parts, "years": year_index(parts), "upcoming": upcoming}

        page = {"title": title, "kind": "timeline", "url": url, "summary": summary, "count": len(events),
                "order": "newest" if newest else "oldest", "complete": False, "filter": None}  # fmt: skip
        return LazyPage(page, grouped)


class LazyPage(dict[str, Any]):
    """A page's context whose costly part (`more`) is worked out when a template first reads a
    key it lacks: planning makes some 1,700 timeline pages at 5,000 entries, and an update
    renders a few of them."""

    def __init__(self, values: dict[str, Any], more: Callable[[], dict[str, Any]]):
        super().__init__(values)
        self._more: Callable[[], dict[str, Any]] | None = more

    def __missing__(self, key: str) -> Any:
        if self._more is None:
            raise KeyError(key)
        more, self._more = self._more, None
        self.update(more())
        return self[key]


def _sources(entries: Iterable[Entry]) -> frozenset[str]:
    return frozenset(entry.source for entry in entries)
