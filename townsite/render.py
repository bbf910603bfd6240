"""Stage 4, render: plan every output page from the linked site, then render each through its
Jinja template. Each planned page names the content files it shows, so a rebuild can tell
which pages a changed file touches."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote

import jinja2
from jinja2 import meta

from .config import SiteConfig
from .formatting import date_range_zh, date_zh, json_for_script
from .i18n import _
from .markup import MarkdownRenderer, Rendered
from .model import Entry, Site, Taxonomy, Term
from .problems import Problem, did_you_mean
from .schema import kinds
from .structured import structured_data

KIND_LABELS = {"town": "特色小镇", "park": "产业园区", "event": "活动", "page": "页面"}
SECTION_OF = {"town": "towns", "park": "parks", "event": "events"}


@dataclass(frozen=True)
class PageSpec:
    url: str  # site path, "/towns/xi-ji/"
    template: str
    context: dict[str, Any]
    # What the page shows, for incremental rebuilds: `sources` are content files whose front
    # matter appears on it (EVERYTHING: any entry's may), `main` the one whose body does, and
    # `extra` anything else it depends on (a pager's page count).
    sources: frozenset[str] = field(default_factory=frozenset)
    body: bytes | None = None  # for outputs made without a template (an .ics feed)
    main: str | None = None
    make: Callable[[], bytes] | None = None  # like body, made only when the fingerprint changed
    extra: str = ""


EVERYTHING = frozenset({"*"})


class Feature(Protocol):
    """An optional part of the site (the timeline, search) that adds navigation and pages.
    `pages` runs after the core pages are planned and may add template globals/filters to
    `renderer.env` before anything renders."""

    name: str

    def nav_items(self, site: Site) -> list[tuple[str, str]]: ...

    def pages(self, renderer: Renderer) -> Iterable[PageSpec]: ...


@dataclass(frozen=True)
class Fact:
    label: str
    items: list[tuple[str, str | None]]  # (text, site path or None)


def output_path(url: str) -> str:
    """Site path to file: "/" -> index.html, "/towns/x/" -> towns/x/index.html, "/404.html" as is."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


class Renderer:
    def __init__(
        self,
        site: Site,
        config: SiteConfig,
        templates_dir: Path,
        asset_urls: dict[str, str],
        today: dt.date,
        extra_nav: Sequence[tuple[str, str]] = (),
        bodies: dict[tuple[str, str], Rendered] | None = None,
    ):
        self.site = site
        self.config = config
        self.today = today
        self.templates_dir = templates_dir
        self.asset_urls = asset_urls
        self.extra_nav = list(extra_nav)
        # Markdown results by source text: shared across rebuilds by `serve`.
        self.bodies: dict[tuple[str, str], Rendered] = bodies if bodies is not None else {}
        self.terms = {(t.taxonomy, t.name): t for tax in site.taxonomies.values() for t in tax.terms}
        self.bodies_shown: set[str] = set()  # sources whose body the page being rendered shows
        self.fragments: dict[tuple[Any, ...], Any] = {}
        self.markdown = MarkdownRenderer(config.base_path)
        self.labels = {name: {k: f.label for k, f in kind.fields.items()} for name, kind in kinds([]).items()}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            auto_reload=False,  # a renderer lives for one build: templates do not change under it
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
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
            facts=self.facts,
            kind_label=KIND_LABELS.get,
            structured_data=lambda page: structured_data(page, config, self.abs_url),
            nav=self.navigation(extra_nav),
        )

    # --- URL helpers -------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.config.base_path + path.lstrip("/")

    def abs_url(self, path: str) -> str:
        return self.config.base_url + path.lstrip("/")

    # --- content helpers ---------------------------------------------------------------------
    def body_html(self, entry: Entry) -> jinja2.utils.markupsafe.Markup:
        self.bodies_shown.add(entry.source)  # recorded: which pages show which bodies
        return jinja2.utils.markupsafe.Markup(self.body(entry).html)

    def fragment(self, key: tuple[Any, ...], make: Callable[..., Any], *args: Any) -> Any:
        """HTML that many pages repeat (a card, a timeline item), made once per render:
        `key` names everything `make(*args)` shows. Never for HTML that shows a body, whose
        use body_html records page by page."""
        try:
            return self.fragments[key]
        except KeyError:
            made = self.fragments[key] = make(*args)
            return made

    def has_body(self, entry: Entry) -> bool:
        return (self.config.base_path, entry.body) in self.bodies

    def add_bodies(self, rendered: Mapping[str, Rendered]) -> None:
        """Bodies rendered elsewhere (by worker processes), by source."""
        by_source = {e.source: e for e in self.site.all_entries()}
        for source, body in rendered.items():
            self.bodies[(self.config.base_path, by_source[source].body)] = body

    def body(self, entry: Entry) -> Rendered:
        """The entry's Markdown as safe HTML, rendered once per text (or taken from the cache)."""
        key = (self.config.base_path, entry.body)
        rendered = self.bodies.get(key)
        if rendered is None:
            rendered = self.bodies[key] = self.markdown.render(entry.body)
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
            place = "，".join(x for x in (data.get("venue"), data.get("city")) if x)
            if place:
                rows.append(Fact("地点", [(place, None)]))
        if data.get("province"):
            add("province", self._term_items("province", [data["province"]]))
        for key in ("city", "county", "park_type", "status"):
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
        add("organizers", [(o, None) for o in data.get("organizers") or []])
        add("programs", self._term_items("program", data.get("programs") or []))
        if data.get("coordinates"):
            c = data["coordinates"]
            add("coordinates", [(f"北纬 {c['lat']:.4f}°，东经 {c['lon']:.4f}°", None)])
        return rows

    def navigation(self, extra: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        items = [("/", "首页"), ("/towns/", "特色小镇"), ("/parks/", "产业园区"), ("/events/", "活动")]
        items += [*extra, ("/programs/", "工程"), ("/provinces/", "省份")]
        menu_pages = sorted((p for p in self.site.entries["page"] if p.menu), key=lambda p: (p.menu, p.slug))
        items += [(p.url, p.title) for p in menu_pages]
        return items

    # --- planning ----------------------------------------------------------------------------
    def plan(self) -> Iterator[PageSpec]:
        site = self.site
        yield PageSpec("/", "home.html", {"page": self._home()}, EVERYTHING)
        for kind, section in SECTION_OF.items():
            yield from self._list_pages(kind, section)
            for entry in site.entries[kind]:
                yield self._detail(entry, f"{kind}.html")
        for entry in site.entries["page"]:
            yield self._detail(entry, "page.html")
        for taxonomy in site.taxonomies.values():
            yield from self._taxonomy_pages(taxonomy)
        not_found = {"title": "页面未找到", "kind": "404", "url": "/404.html", "summary": ""}
        yield PageSpec("/404.html", "404.html", {"page": not_found})

    def shown_with_neighbours(self, entries: Iterable[Entry]) -> frozenset[str]:
        """Sources of `entries`, of what they link to or from, and of what those events link to:
        cards and timeline items name them. Over-inclusion only costs a re-render."""
        shown: set[str] = set()
        for entry in entries:
            shown.add(entry.source)
            for kind in ("town", "park", "event"):
                for other in entry.related(kind):
                    shown.add(other.source)
                    if other.kind == "event":
                        shown.update(e.source for k in ("town", "park") for e in other.related(k))
        return frozenset(shown)

    def _home(self) -> dict[str, Any]:
        events = self.site.entries["event"]
        upcoming = sorted((e for e in events if (e.end or e.date) >= self.today), key=lambda e: (e.date, e.slug))
        past = [e for e in events if (e.end or e.date) < self.today]
        towns = self.site.entries["town"]
        return {
            "title": self.config.title,
            "kind": "home",
            "url": "/",
            "summary": self.config.description,
            "featured": [t for t in towns if t.featured] or towns[:6],
            "upcoming": upcoming[:6],
            "latest": past[:6],
            "counts": [
                (label, len(self.site.entries[kind]), f"/{SECTION_OF[kind]}/")
                for kind, label in (("town", "特色小镇"), ("park", "产业园区与项目"), ("event", "活动"))
            ]
            + [("工程", len(self.site.taxonomies["program"].terms), "/programs/")],
            "provinces": [t for t in self.site.taxonomies["province"].terms if t.entries],
            "programs": self.site.taxonomies["program"].terms,
        }

    def _detail(self, entry: Entry, template: str) -> PageSpec:
        program_term = self.term_for("program", entry.program) if entry.kind == "page" and entry.program else None
        shown = self.shown_with_neighbours([entry, *(program_term.entries if program_term else [])])
        context = {
            "page": {
                "title": entry.title,
                "kind": entry.kind,
                "url": entry.url,
                "summary": entry.summary or "",
                "entry": entry,
                "section": (f"/{SECTION_OF[entry.kind]}/", KIND_LABELS[entry.kind])
                if entry.kind in SECTION_OF
                else None,
                "program_term": program_term,
            }
        }
        return PageSpec(entry.url, template, context, shown, main=entry.source)

    def _list_pages(self, kind: str, section: str) -> Iterator[PageSpec]:
        entries = self.site.entries[kind]
        per_page = self.config.per_page
        chunks = [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]
        urls = [f"/{section}/"] + [f"/{section}/page/{n}/" for n in range(2, len(chunks) + 1)]
        for number, (chunk, url) in enumerate(zip(chunks, urls, strict=True), start=1):
            title = KIND_LABELS[kind] + (f"（第 {number} 页）" if number > 1 else "")
            pager = {
                "number": number,
                "count": len(chunks),
                "prev": urls[number - 2] if number > 1 else None,
                "next": urls[number] if number < len(chunks) else None,
                "urls": urls,
            }
            page = {
                "title": title,
                "kind": "list",
                "url": url,
                "entries": chunk,
                "pager": pager,
                "list_kind": kind,
                "total": len(entries),
                "summary": f"{self.config.title}收录的全部{KIND_LABELS[kind]}。",
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
            sources = self.shown_with_neighbours(term.entries) | ({term.page.source} if term.page else set())
            term_page = {
                "title": term.name,
                "kind": "term",
                "url": term.url,
                "term": term,
                "taxonomy": taxonomy,
                "summary": (term.page.summary if term.page and term.page.summary else "")
                or f"与“{term.name}”相关的特色小镇、产业园区与活动。",
            }
            yield PageSpec(term.url, "taxonomy_term.html", {"page": term_page}, frozenset(sources))

    # --- rendering ---------------------------------------------------------------------------
    def render(self, spec: PageSpec) -> bytes:
        self.bodies_shown = set()
        if spec.make is not None:
            return spec.make()
        if spec.body is not None:
            return spec.body
        template = self.env.get_template(spec.template)
        return template.render(spec.context).encode("utf-8")

    def body_link_problems(self, existing_urls: set[str], entries: Iterable[Entry] | None = None) -> list[Problem]:
        """Links and images written in Markdown bodies as site paths must lead to a page or a
        static file of this site; `existing_urls` holds both."""
        problems: list[Problem] = []
        for entry in self.site.all_entries() if entries is None else entries:
            lines = entry.body.split("\n")
            for target in self.body(entry).site_links:
                path = unquote(target.split("#", 1)[0].split("?", 1)[0]) or "/"
                if path in existing_urls:
                    continue
                line = entry.body_line + next((i for i, text in enumerate(lines) if target in text), 0)
                if path.startswith("/static/"):
                    hint = did_you_mean(path, [u for u in existing_urls if u.startswith("/static/")])
                    message = _("`{target}` is not a file in static/{hint}; add static/{file} or fix the path").format(
                        target=target, hint=hint, file=path[8:])  # fmt: skip
                    problems.append(Problem(entry.source, line, message))
                    continue
                section = path.split("/")[1] if path.count("/") > 2 else ""
                siblings = [
                    u for u in existing_urls if section and u.startswith(f"/{section}/") and u != f"/{section}/"
                ]
                hint = did_you_mean(path, siblings or existing_urls)
                message = _("link to `{target}` leads to no page of this site").format(target=target) + hint
                problems.append(Problem(entry.source, line, message))
        return problems


def template_problem(exc: Exception, templates_dir: Path, root: Path) -> Problem:
    """A template error as `templates/x.html:LINE: message`."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    path = Path(name)
    rel = path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else f"templates/{name}"
    line = getattr(exc, "lineno", None)
    return Problem(rel, line, _("template error: {error}").format(error=exc))


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


class Fingerprints:
    """What a page was made from, as one digest: its templates (with their parents and
    includes), what every page shows (configuration, navigation, assets, taxonomy URLs, the
    pages), and the content its PageSpec names. Equal fingerprints, equal bytes."""

    def __init__(self, renderer: Renderer):
        self.env = renderer.env
        self.templates: dict[str, str] = {}
        site = renderer.site
        entries = site.all_entries()
        self.front = {e.source: e.front_digest for e in entries}
        self.full = {e.source: e.digest for e in entries}
        self.everything = _digest(*sorted(self.front.items()))
        terms = sorted((t.taxonomy, t.name, t.url) for tax in site.taxonomies.values() for t in tax.terms)
        pages = sorted((p.source, p.front_digest) for p in site.entries["page"])
        self.common = _digest(
            repr(renderer.config), renderer.navigation(renderer.extra_nav), sorted(renderer.asset_urls.items()),
            renderer.today, terms, pages,
        )  # fmt: skip

    def template(self, name: str) -> str:
        """Digest of a template and everything it extends, includes or imports."""
        if name not in self.templates:
            self.templates[name] = ""  # guards against include cycles
            source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            referenced = sorted(r for r in meta.find_referenced_templates(self.env.parse(source)) if r)
            parts = [source]
            for ref in referenced:
                try:
                    parts.append(self.template(ref))
                except jinja2.TemplateNotFound:
                    parts.append(f"missing:{ref}")  # `ignore missing` includes: appearing counts as a change
            self.templates[name] = _digest(*parts)
        return self.templates[name]

    def of(self, spec: PageSpec, bodies: frozenset[str] = frozenset()) -> str:
        """`bodies`: sources whose Markdown the page showed last time (recorded while rendering)."""
        template = self.template(spec.template) if spec.template else ""
        shown = (
            self.everything if "*" in spec.sources else _digest(*((s, self.front.get(s)) for s in sorted(spec.sources)))
        )
        main = _digest(*(self.full.get(source, "") for source in sorted(bodies | {spec.main} - {None})))
        return _digest(spec.url, spec.template, template, self.common, spec.extra, main, shown)


# url -> (fingerprint, bytes) of the previous build, for incremental rebuilds
RenderMemo = dict[str, "Memo"]


@dataclass(frozen=True)
class Memo:
    fingerprint: str
    data: bytes
    bodies: frozenset[str]  # sources whose body the page showed


@dataclass
class RenderResult:
    outputs: dict[str, bytes]
    pages: list[PageSpec]
    problems: list[Problem]
    memo: RenderMemo
    rendered: int  # how many pages went through a template this time
    renderer: Renderer
    fingerprints: Fingerprints | None
    existing: set[str]  # every page URL and asset, for link checks


@dataclass
class Plan:
    """Every output page planned, with the renderer that renders them."""

    renderer: Renderer
    specs: list[PageSpec]

    @property
    def existing(self) -> set[str]:
        """Every page URL and asset, for link checks."""
        return {s.url for s in self.specs} | set(self.renderer.asset_urls.values())


def plan_site(
    site: Site,
    config: SiteConfig,
    templates_dir: Path,
    asset_urls: dict[str, str],
    today: dt.date,
    features: Sequence[Feature] = (),
    bodies: dict[tuple[str, str], Rendered] | None = None,
) -> Plan:
    extra_nav = [item for feature in features for item in feature.nav_items(site)]
    renderer = Renderer(site, config, templates_dir, asset_urls, today, extra_nav, bodies)
    specs = list(renderer.plan())
    for feature in features:
        specs.extend(feature.pages(renderer))
    pages = [s.url for s in specs if s.url.endswith("/")]
    specs.append(PageSpec("/sitemap.xml", "sitemap.xml", {"urls": pages}, extra=_digest(*pages)))
    specs.append(PageSpec("/robots.txt", "robots.txt", {}))
    return Plan(renderer, specs)


def _template_problem(exc: jinja2.TemplateError, spec: PageSpec, templates_dir: Path) -> Problem:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return template_problem(exc, templates_dir, templates_dir.parent)
    message = _("template error: {error} (rendering {url})").format(error=exc, url=spec.url)
    return Problem(f"templates/{spec.template}", None, message)


def render_pages(renderer: Renderer, specs: Sequence[PageSpec]) -> tuple[dict[str, bytes], list[Problem]]:
    """Each page through its template, nothing remembered: what `build` does, in one process
    or in chunks across several. A template error stops at the first page it breaks."""
    outputs: dict[str, bytes] = {}
    for spec in specs:
        try:
            outputs[output_path(spec.url)] = renderer.render(spec)
        except jinja2.TemplateError as exc:
            return outputs, [_template_problem(exc, spec, renderer.templates_dir)]
    return outputs, []


def render_site(plan: Plan, memo: RenderMemo | None = None) -> RenderResult:
    """Render every planned page; with the memo of a previous build, a page whose fingerprint
    is unchanged keeps its bytes instead of being rendered again (`serve`)."""
    renderer, specs = plan.renderer, plan.specs
    outputs: dict[str, bytes] = {}
    problems: list[Problem] = []
    new_memo: RenderMemo = {}
    rendered = 0
    fingerprints = None
    spec = specs[0]
    try:
        fingerprints = Fingerprints(renderer)
        for spec in specs:
            if spec.body is not None:
                outputs[output_path(spec.url)] = spec.body
                continue
            previous = (memo or {}).get(spec.url)
            key = fingerprints.of(spec, previous.bodies if previous else frozenset())
            if previous and previous.fingerprint == key:
                data, bodies = previous.data, previous.bodies
            else:
                data = renderer.render(spec)
                bodies = frozenset(renderer.bodies_shown)
                rendered += 1
                key = fingerprints.of(spec, bodies)  # with the bodies it showed this time
            outputs[output_path(spec.url)] = data
            new_memo[spec.url] = Memo(key, data, bodies)
    except jinja2.TemplateError as exc:
        problems.append(_template_problem(exc, spec, renderer.templates_dir))
    existing = plan.existing
    problems.extend(renderer.body_link_problems(existing))
    return RenderResult(outputs, specs, problems, new_memo, rendered, renderer, fingerprints, existing)
