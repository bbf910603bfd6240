"""Planning: every output of the site as a PageSpec (its URL, its template and context, and the
content files it shows), before anything is rendered. What a page shows is what the engine's
fingerprints are made of, so a rebuild can tell which pages a changed file touches."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .duijie import duijie_of
from .model import Entry, Site, Taxonomy
from .schema import KINDS, LISTED

if TYPE_CHECKING:
    from .templating import Renderer


@dataclass(frozen=True)
class PageSpec:
    url: str  # site path, "/towns/xi-ji/"
    template: str
    context: dict[str, Any]
    # What the page shows, for incremental rebuilds: `sources` are content files whose front
    # matter appears on it (EVERYTHING: any entry's may), `names` those it only names with a
    # link (see `named`), `main` the one whose body it shows, and `extra` anything else it
    # depends on (a pager's page count, the timeline's filter list).
    sources: frozenset[str] = field(default_factory=frozenset)
    body: bytes | None = None  # for outputs made without a template (an .ics feed)
    main: str | None = None
    make: Callable[[], bytes] | None = None  # like body, made only when the fingerprint changed
    extra: str = ""
    names: frozenset[str] = field(default_factory=frozenset)


EVERYTHING = frozenset({"*"})


class Feature(Protocol):
    """An optional part of the site (the timeline, search) that adds navigation and pages.
    `pages` runs after the core pages are planned and may add template globals/filters to
    `renderer.env` before anything renders."""

    name: str

    def nav_items(self, site: Site) -> list[tuple[str, str]]: ...

    def pages(self, renderer: Renderer) -> Iterable[PageSpec]: ...


def output_path(url: str) -> str:
    """Site path to file: "/" -> index.html, "/towns/x/" -> towns/x/index.html, "/404.html" as is."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


@dataclass
class Plan:
    """Every output page planned, with the renderer that renders them."""

    renderer: Renderer
    specs: list[PageSpec]

    @property
    def existing(self) -> set[str]:
        """Every page URL and asset, for link checks."""
        return {s.url for s in self.specs} | set(self.renderer.asset_urls.values())


def plan_site(renderer: Renderer, features: Sequence[Feature] = ()) -> Plan:
    """The renderer's site as pages: the core ones, then each feature's, then the sitemap."""
    specs = list(Planner(renderer).pages())
    for feature in features:
        specs.extend(feature.pages(renderer))
    pages = [s.url for s in specs if s.url.endswith("/")]
    specs.append(PageSpec("/sitemap.xml", "sitemap.xml", {"urls": pages}, extra=digest(*pages)))
    specs.append(PageSpec("/robots.txt", "robots.txt", {}))
    return Plan(renderer, specs)


def named(entry: Entry) -> tuple[str, ...]:
    """What a page shows of an entry it only names (a link to a timeline item's town, a data
    attribute): the fingerprint of `PageSpec.names` is made of this."""
    return (entry.kind, entry.slug, entry.url, entry.title, entry.province or "", str(entry.draft))


@dataclass(frozen=True)
class Shown:
    sources: frozenset[str]  # shown with their front matter (cards, timeline items)
    names: frozenset[str]  # only named (see `named`)


def names_on_items(events: Iterable[Entry]) -> frozenset[str]:
    """The entries a timeline item names: its towns, parks and organizing orgs."""
    kinds = ("town", "park", "org")
    return frozenset(other.source for event in events for kind in kinds for other in event.related(kind))


def shown_with_neighbours(entries: Iterable[Entry]) -> Shown:
    """What a detail page shows of other entries: `entries` and what they link to or from as
    cards or timeline items (front matter), and what those events name. Over-inclusion only
    costs a re-render."""
    shown: set[str] = set()
    events: list[Entry] = []
    for entry in entries:
        shown.add(entry.source)
        for kind in LISTED:
            for other in entry.related(kind):
                shown.add(other.source)
                if other.kind == "event":
                    events.append(other)
    return Shown(frozenset(shown), names_on_items(events))


class Planner:
    """The core pages: home, list pages per kind, detail pages, taxonomies, 404."""

    def __init__(self, renderer: Renderer):
        self.renderer = renderer
        self.site = renderer.site
        self.config = renderer.config
        self.today = renderer.today
        self._shown_by_term: dict[str, Shown] = {}  # what a program's entries show, once per program

    def pages(self) -> Iterator[PageSpec]:
        site = self.site
        yield PageSpec("/", "home.html", {"page": self._home()}, EVERYTHING)
        for name, section in LISTED.items():
            yield from self._list_pages(name, section)
            for entry in site.entries[name]:
                yield self._detail(entry)
        for name in (n for n in KINDS if n not in LISTED):  # kinds at /<slug>/: pages
            for entry in site.entries.get(name, []):
                yield self._detail(entry)
        for taxonomy in site.taxonomies.values():
            yield from self._taxonomy_pages(taxonomy)
        not_found = {"title": "页面未找到", "kind": "404", "url": "/404.html", "summary": ""}
        yield PageSpec("/404.html", "404.html", {"page": not_found})

    def _home(self) -> dict[str, Any]:
        events = self.site.entries["event"]
        upcoming = sorted((e for e in events if (e.end or e.date) >= self.today), key=lambda e: (e.date, e.slug))
        past = [e for e in events if (e.end or e.date) < self.today]
        towns = self.site.entries["town"]
        counts = [
            (kind.count_label or kind.label, len(self.site.entries[name]), f"/{kind.section}/")
            for name, kind in KINDS.items()
            if kind.section
        ]
        return {
            "title": self.config.title,
            "kind": "home",
            "url": "/",
            "summary": self.config.description,
            "featured": [t for t in towns if t.featured] or towns[:6],
            "upcoming": upcoming[:6],
            "latest": past[:6],
            "counts": [
                *counts,
                ("征集中的需求", len(duijie_of(self.site).open_needs), "/duijie/"),
                ("工程", len(self.site.taxonomies["program"].terms), "/programs/"),
            ],
            "needs": duijie_of(self.site).newest_needs(6),
            "provinces": [t for t in self.site.taxonomies["province"].terms if t.entries],
            "programs": self.site.taxonomies["program"].terms,
        }

    def _detail(self, entry: Entry) -> PageSpec:
        kind = KINDS[entry.kind]
        program_term = self.renderer.term_for("program", entry.program) if entry.program else None
        shown = shown_with_neighbours([entry])
        if program_term is not None:  # its page lists the program's entries: a union, as what each shows is
            if program_term.url not in self._shown_by_term:
                self._shown_by_term[program_term.url] = shown_with_neighbours(program_term.entries)
            also = self._shown_by_term[program_term.url]
            shown = Shown(shown.sources | also.sources, shown.names | also.names)
        context = {
            "page": {
                "title": entry.title,
                "kind": entry.kind,
                "url": entry.url,
                "summary": entry.summary or "",
                "entry": entry,
                "section": (f"/{kind.section}/", kind.label) if kind.section else None,
                "program_term": program_term,
            }
        }
        # 推荐对接 shows matches, which other entries' needs and offers decide.
        extra = duijie_of(self.site).digest(entry)
        return PageSpec(entry.url, kind.template, context, shown.sources, main=entry.source, extra=extra,
                        names=shown.names)  # fmt: skip

    def _list_pages(self, name: str, section: str) -> Iterator[PageSpec]:
        entries = self.site.entries[name]
        label = KINDS[name].label
        per_page = self.config.per_page
        chunks = [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]
        urls = [f"/{section}/"] + [f"/{section}/page/{n}/" for n in range(2, len(chunks) + 1)]
        for number, (chunk, url) in enumerate(zip(chunks, urls, strict=True), start=1):
            pager = {
                "number": number,
                "count": len(chunks),
                "prev": urls[number - 2] if number > 1 else None,
                "next": urls[number] if number < len(chunks) else None,
                "urls": urls,
            }
            page = {
                "title": label + (f"（第 {number} 页）" if number > 1 else ""),
                "kind": "list",
                "url": url,
                "entries": chunk,
                "pager": pager,
                "list_kind": name,
                "total": len(entries),
                "summary": f"{self.config.title}收录的全部{label}。",
            }
            pages = f"{number}/{len(chunks)}/{len(entries)}"
            yield PageSpec(url, "list.html", {"page": page}, frozenset(e.source for e in chunk), extra=pages)

    def _taxonomy_pages(self, taxonomy: Taxonomy) -> Iterator[PageSpec]:
        url = f"/{taxonomy.section}/"
        terms = [t for t in taxonomy.terms if t.entries or t.page]
        page = {
            "title": f"按{taxonomy.label}浏览",
            "kind": "taxonomy",
            "url": url,
            "taxonomy": taxonomy,
            "terms": terms,
            "summary": f"按{taxonomy.label}浏览特色小镇、产业园区与活动。",
        }
        yield PageSpec(url, "taxonomy_index.html", {"page": page}, EVERYTHING)
        for term in terms:
            # Cards and a list of events: what each shows is the entry's own front matter. The
            # page announces the term's calendar, which exists when an event is found under the
            # term: its own, or one of its towns' and parks'.
            sources = {e.source for e in term.entries} | ({term.page.source} if term.page else set())
            events = frozenset(event.source for e in term.entries for event in e.related("event"))
            term_page = {
                "title": term.name,
                "kind": "term",
                "url": term.url,
                "term": term,
                "taxonomy": taxonomy,
                "summary": (term.page.summary if term.page and term.page.summary else "")
                or f"与“{term.name}”相关的特色小镇、产业园区与活动。",
            }
            yield PageSpec(term.url, "taxonomy_term.html", {"page": term_page}, frozenset(sources), names=events)
