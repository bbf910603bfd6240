"""The Jinja environment and what templates ask of it: URLs under the base path, an entry's
body as safe HTML (rendered once per text), fragments many pages repeat, the facts table of a
detail page, the navigation. One Renderer serves one build (or one `serve` rebuild)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .config import SiteConfig
from .duijie import duijie_of
from .formatting import date_range_zh, date_zh, json_for_script
from .industries import group_terms
from .markup import Bodies, MarkdownRenderer, Rendered
from .model import Entry, Site, Term
from .places import place_of
from .schema import KIND_LABELS, KINDS, LISTED, kinds
from .structured import structured_data


@dataclass(frozen=True)
class Fact:
    label: str
    items: list[tuple[str, str | None]]  # (text, site path or None)


PAGER_NEAR = 2  # pages shown on each side of the current one
PAGER_GAP = Markup('\n    <li class="gap" aria-hidden="true">…</li>\n')


def pager_window(count: int, number: int) -> list[int | None]:
    """Page numbers (from 1) a pager shows, None for a gap: the first, the last, and those
    within PAGER_NEAR of `number`; a gap of a single page shows that page instead."""
    shown = sorted({1, count, *range(max(1, number - PAGER_NEAR), min(count, number + PAGER_NEAR) + 1)})
    window: list[int | None] = []
    for index in shown:
        if window and index - (window[-1] or 0) == 2:
            window.append(index - 1)
        elif window and index - (window[-1] or 0) > 2:
            window.append(None)
        window.append(index)
    return window


class _Environment(jinja2.Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template without globals of its own shares the environment's dict instead of a
        ChainMap over it: Jinja turns a template's globals into a new dict for every include
        and compares them with an imported template's on every `{% import %}`, which over a
        ChainMap costs a Python call per key (a seventh of a detail page under cProfile). Nothing
        here gives a template globals of its own (`get_template(name, globals)`)."""
        return self.globals if not d else super().make_globals(d)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory between the renderers of one process (`serve` makes a
    renderer per update): Jinja checks each against its source's checksum, so an edited
    template is compiled again and the others are not. One per base URL: Jinja folds a filter
    on a constant at compile time (`{{ '/data/' | url }}`), so the code holds the base path."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def environment(templates_dir: Path, compiled: CompiledTemplates | None = None) -> jinja2.Environment:
    return _Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        bytecode_cache=compiled,
        auto_reload=False,  # a renderer lives for one build: templates do not change under it
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class KeptFragments:
    """Fragments kept between the renders of `serve`'s updates (a timeline item: at 5,000
    entries /timeline/ shows some 1,500, and every edit of an event renders it again). Each is
    kept in a slot (the event's source) with the version of what it shows; `keep_if` empties
    the store whenever what every fragment may also show moved: configuration, build date,
    navigation, terms, templates (the engine's `Fingerprints.shared`)."""

    def __init__(self) -> None:
        self.slots: dict[Hashable, tuple[Hashable, Any]] = {}
        self.stamp = ""

    def keep_if(self, stamp: str) -> None:
        if stamp != self.stamp:
            self.slots = {}
            self.stamp = stamp


class Renderer:
    def __init__(
        self,
        site: Site,
        config: SiteConfig,
        templates_dir: Path,
        asset_urls: dict[str, str],
        today: dt.date,
        extra_nav: Sequence[tuple[str, str]] = (),
        rendered_bodies: Bodies | None = None,
        compiled: CompiledTemplates | None = None,
        kept: KeptFragments | None = None,
    ):
        self.site = site
        self.config = config
        self.today = today
        self.templates_dir = templates_dir
        self.asset_urls = asset_urls
        self.extra_nav = list(extra_nav)
        # Markdown results by source text, from the store or an earlier rebuild of `serve`.
        self.rendered_bodies: Bodies = rendered_bodies if rendered_bodies is not None else {}
        self.terms = {(t.taxonomy, t.name): t for tax in site.taxonomies.values() for t in tax.terms}
        self.bodies_shown: set[str] = set()  # sources whose body the page being rendered shows
        self.fragments: dict[tuple[Any, ...], Any] = {}
        self.kept = KeptFragments() if kept is None else kept
        self.markdown = MarkdownRenderer(config.base_path)
        self.labels = {name: {k: f.label for k, f in kind.fields.items()} for name, kind in kinds([]).items()}
        self.env = environment(templates_dir, compiled)
        self.nav = self.navigation()
        self.env.filters.update(
            date_zh=date_zh,
            date_range=lambda e: date_range_zh(e.date, e.end),
            url=self.url,
            abs_url=self.abs_url,
            json_script=json_for_script,
        )
        self.env.globals.update(
            config=config,
            site=site,
            today=today,
            asset=lambda name: self.url(asset_urls[name]),
            body_html=self.body_html,
            fragment=self.fragment,
            kept_fragment=self.kept_fragment,
            pager_items=self.pager_items,
            facts=self.facts,
            kind_label=KIND_LABELS.get,
            place=place_of,
            structured_data=lambda page: structured_data(page, config, self.abs_url),
            nav=self.nav,
            nav_here=self.nav_here,
            duijie=duijie_of(site),
            industry_groups=lambda terms: group_terms(terms, config.industries),
        )

    # --- URL helpers -------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.config.base_path + path.lstrip("/")

    def abs_url(self, path: str) -> str:
        return self.config.base_url + path.lstrip("/")

    # --- content helpers ---------------------------------------------------------------------
    def body_html(self, entry: Entry) -> Markup:
        self.bodies_shown.add(entry.source)  # recorded: which pages show which bodies
        return Markup(self.body(entry).html)

    def fragment(self, key: tuple[Any, ...], make: Callable[..., Any], *args: Any) -> Any:
        """HTML that many pages repeat (a card, a timeline item), made once per render:
        `key` names everything `make(*args)` shows. Never for HTML that shows a body, whose
        use body_html records page by page."""
        try:
            return self.fragments[key]
        except KeyError:
            made = self.fragments[key] = make(*args)
            return made

    def kept_fragment(self, slot: Hashable, version: Hashable, make: Callable[..., Any], *args: Any) -> Any:
        """A fragment kept between updates (see KeptFragments): `version` names everything
        `make(*args)` shows that every page does not. Never for HTML that shows a body."""
        known = self.kept.slots.get(slot)
        if known is not None and known[0] == version:
            return known[1]
        made = make(*args)
        self.kept.slots[slot] = (version, made)
        return made

    def pager_items(self, make: Callable[[str, int, bool], Markup], urls: Sequence[str], number: int) -> Markup:
        """The items of a list page's pager: the first and last pages and those near the
        current one, with a gap mark between (a pager of every page would make each page of a
        long list longer, and the list quadratic in its length; on a phone, rows of numbers)."""
        items = []
        for index in pager_window(len(urls), number):
            if index is None:
                items.append(PAGER_GAP)
            else:
                url, current = urls[index - 1], index == number
                items.append(self.fragment(("pager-item", url, current), make, url, index, current))
        return Markup("").join(items)

    def has_body(self, entry: Entry) -> bool:
        return (self.config.base_path, entry.body) in self.rendered_bodies

    def add_bodies(self, by_source: Mapping[str, Rendered]) -> None:
        """Bodies rendered elsewhere (by worker processes), by source."""
        entries = {e.source: e for e in self.site.all_entries()}
        for source, body in by_source.items():
            self.rendered_bodies[(self.config.base_path, entries[source].body)] = body

    def body(self, entry: Entry) -> Rendered:
        """The entry's Markdown as safe HTML, rendered once per text (or taken from the store)."""
        key = (self.config.base_path, entry.body)
        rendered = self.rendered_bodies.get(key)
        if rendered is None:
            rendered = self.rendered_bodies[key] = self.markdown.render(entry.body)
        return rendered

    def term_for(self, taxonomy: str, name: str) -> Term | None:
        return self.terms.get((taxonomy, name))

    def _term_items(self, taxonomy: str, names: list[str]) -> list[tuple[str, str | None]]:
        items: list[tuple[str, str | None]] = []
        for name in names:
            term = self.term_for(taxonomy, name)
            items.append((name, term.url if term else None))
        return items

    def facts(self, entry: Entry) -> list[Fact]:
        """The typed facts table of a detail page, in schema order, formatted for reading."""
        labels = self.labels[entry.kind]
        data = entry.data
        rows: list[Fact] = []

        def add(key: str, items: list[tuple[str, str | None]]) -> None:
            if items:
                rows.append(Fact(labels[key], items))

        if entry.kind == "event":
            add("date", [(date_range_zh(data["date"], data.get("end")), None)])
            add("event_type", [(data["event_type"], None)])
            place = place_of(entry)  # large to small: 四川省宜宾市翠屏区
            if place:
                rows.append(Fact("地点", [(place, None)]))
        if data.get("province"):
            add("province", self._term_items("province", [data["province"]]))
        for key in ("type", "country", "city", "county", "park_type", "status"):
            if data.get(key):
                add(key, [(data[key], None)])
        if data.get("opened"):
            add("opened", [(date_zh(data["opened"]), None)])
        for key in ("area", "investment"):
            if data.get(key):
                add(key, [(str(data[key]), None)])
        add("industries", self._term_items("industry", data.get("industries") or []))
        add("anchors", [(a, None) for a in data.get("anchors") or []])
        if data.get("town"):
            add("town", [(data["town"].title, data["town"].url)])
        orgs = {o.title: o.url for o in data.get("orgs") or []}  # organizers that are orgs link to them
        add("organizers", [(o, orgs.get(o)) for o in data.get("organizers") or []])
        add("programs", self._term_items("program", data.get("programs") or []))
        if data.get("coordinates"):
            c = data["coordinates"]
            add("coordinates", [(f"北纬 {c['lat']:.4f}°，东经 {c['lon']:.4f}°", None)])
        return rows

    def nav_here(self, page_url: str) -> tuple[str, ...]:
        """The navigation items a page is under (marked current in its header)."""
        return tuple(url for url, _ in self.nav if page_url == url or (url != "/" and page_url.startswith(url)))

    def navigation(self) -> list[tuple[str, str]]:
        items = [("/", "首页"), *((f"/{section}/", KINDS[name].label) for name, section in LISTED.items())]
        items += [*self.extra_nav, ("/programs/", "工程"), ("/provinces/", "省份")]
        menu_pages = sorted((p for p in self.site.entries["page"] if p.menu), key=lambda p: (p.menu, p.slug))
        items += [(p.url, p.title) for p in menu_pages]
        return items
