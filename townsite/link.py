"""Stage 3, link: give every entry its URL, resolve references between entries, record the
back-links, and gather the taxonomies. After this stage the whole site is known, so rendering
can show related entries both ways (Pelican's two phases)."""

from __future__ import annotations

import difflib
from pathlib import Path

from . import newer
from .config import SiteConfig
from .fields import Reference
from .i18n import _, kind_name
from .model import Entry, Site, Taxonomy, Term, sort_key
from .orgs import industries_of, link_orgs
from .problems import Problem, did_you_mean
from .schema import KIND_NAMES, KINDS, LISTED, PROVINCE_SLUGS, RESERVED_PAGE_SLUGS
from .slips import name_hint
from .slugs import slugify

REFERENCE_FIELDS = ("town", "towns", "parks", "founders", "supporters")
TAXONOMIES = (
    ("province", "provinces", "省份"),
    ("program", "programs", "工程"),
    ("industry", "industries", "产业"),
)


def entry_url(kind: str, slug: str) -> str:
    return KINDS[kind].url(slug)


def link(
    entries: list[Entry],
    config: SiteConfig,
    include_drafts: bool = False,
    unreadable: frozenset[tuple[str, str]] = frozenset(),
    root: Path | None = None,
) -> tuple[Site, list[Problem]]:
    """`unreadable` holds (kind, file stem) of files that failed to load: references to them are
    not reported again as unknown. `root` (the project) tells, for two files with one slug, which
    is new: the one git has not committed, else the newer file."""
    problems: list[Problem] = []
    everything: dict[tuple[str, str], Entry] = {}
    for entry in sorted(entries, key=lambda e: e.source):
        slug_line = _slug_line(entry)
        if entry.key in everything:
            kept, blamed, why = newer.settle(everything[entry.key], entry, root)
            everything[entry.key] = kept
            problems.append(_duplicate(kept, blamed, why))
            continue
        if entry.kind == "page" and entry.slug in RESERVED_PAGE_SLUGS:
            message = _("slug `{slug}` is reserved for /{slug}/ of the site itself; choose another")
            problems.append(Problem(entry.source, slug_line, message.format(slug=entry.slug)))
            continue
        everything[entry.key] = entry
    published = {key: e for key, e in everything.items() if include_drafts or not e.draft}
    for entry in published.values():
        entry.url = entry_url(entry.kind, entry.slug)
        entry.backlinks = {}
    for entry in sorted(published.values(), key=sort_key):
        _resolve(entry, everything, published, problems, unreadable)
    problems += link_orgs(everything, published)
    by_kind: dict[str, list[Entry]] = {kind: [] for kind in KIND_NAMES}
    for entry in sorted(published.values(), key=sort_key):
        by_kind[entry.kind].append(entry)
    for entry in published.values():
        for kind in entry.backlinks:
            entry.backlinks[kind].sort(key=sort_key)
    taxonomies = _taxonomies(by_kind, config, problems)
    return Site(by_kind, published, taxonomies), problems


def _slug_line(entry: Entry) -> int:
    """The line of `slug:`, else of the title it was derived from."""
    return entry.lines.get("slug") or entry.lines.get("name") or entry.lines.get("title") or 1


def _duplicate(kept: Entry, blamed: Entry, why: str) -> Problem:
    if why == newer.UNCOMMITTED:
        message = _("slug `{slug}` is already used by {other}, which is committed; give this new file another `slug:`")
    elif why == newer.NEWER:
        message = _("slug `{slug}` is already used by {other}, an older file; give this newer file another `slug:`")
    else:
        message = _("slug `{slug}` is already used by {other}; give one of them another `slug:`")
    return Problem(blamed.source, _slug_line(blamed), message.format(slug=blamed.slug, other=kept.source))


def _resolve(
    entry: Entry,
    everything: dict[tuple[str, str], Entry],
    published: dict[tuple[str, str], Entry],
    problems: list[Problem],
    unreadable: frozenset[tuple[str, str]],
) -> None:
    for field in REFERENCE_FIELDS:
        value = entry.data.get(field)
        if value is None:
            continue
        refs = value if isinstance(value, list) else [value]
        resolved: list[Entry] = []
        for ref in refs:
            target = _target(entry, field, ref, everything, published, problems, unreadable)
            if target is not None:
                resolved.append(target)
                target.backlinks.setdefault(entry.kind, [])
                if entry not in target.backlinks[entry.kind]:
                    target.backlinks[entry.kind].append(entry)
        entry.data[field] = resolved if isinstance(value, list) else (resolved[0] if resolved else None)


def _target(
    entry: Entry,
    field: str,
    ref: Reference | Entry,
    everything: dict[tuple[str, str], Entry],
    published: dict[tuple[str, str], Entry],
    problems: list[Problem],
    unreadable: frozenset[tuple[str, str]],
) -> Entry | None:
    if isinstance(ref, Entry):  # already resolved by an earlier link of the same entries
        ref = Reference(ref.kind, ref.slug, entry.lines.get(field))
    key = (ref.kind, ref.slug)
    if isinstance(ref, Reference) and ref.by_name:
        titles = {e.title: e.slug for (kind, _slug), e in everything.items() if kind == ref.kind}
        close = difflib.get_close_matches(ref.slug, sorted(titles), n=1, cutoff=0.6)
        hint = name_hint(ref.slug, ref.kind, titles[close[0]] if close else None)
        problems.append(Problem(entry.source, ref.line, f"{field}: {hint}"))
        return None
    if key in published:
        return published[key]
    if key in everything:
        message = _("{field}: `{slug}` is a draft; publish it (remove `draft: true`) or remove this reference")
        problems.append(Problem(entry.source, ref.line, message.format(field=field, slug=ref.slug)))
        return None
    if key in unreadable:
        return None  # that file's own problem is already reported
    if ref.slug == entry.slug and ref.kind != entry.kind:
        # References always point at another kind, so an entry cannot name itself; say so plainly.
        message = _("{field}: `{slug}` is this {kind}'s own slug, not a {other}'s (see content/{section}/)")
        message = message.format(
            field=field,
            slug=ref.slug,
            kind=kind_name(entry.kind),
            other=kind_name(ref.kind),
            section=KINDS[ref.kind].folder,
        )
        problems.append(Problem(entry.source, ref.line, message))
        return None
    slugs = [slug for kind, slug in everything if kind == ref.kind]
    hint = did_you_mean(ref.slug, slugs) or _(" (no {kind} has this slug; see content/{section}/)").format(
        kind=kind_name(ref.kind), section=KINDS[ref.kind].folder)  # fmt: skip
    message = _("{field}: unknown {kind} `{slug}`").format(field=field, kind=kind_name(ref.kind), slug=ref.slug)
    problems.append(Problem(entry.source, ref.line, message + hint))
    return None


def _taxonomies(by_kind: dict[str, list[Entry]], config: SiteConfig, problems: list[Problem]) -> dict[str, Taxonomy]:
    taxonomies = {name: Taxonomy(name, section, label) for name, section, label in TAXONOMIES}
    values: dict[str, dict[str, list[Entry]]] = {name: {} for name in taxonomies}
    for kind in LISTED:
        for entry in by_kind[kind]:
            if entry.province:
                values["province"].setdefault(entry.province, []).append(entry)
            for program in entry.programs or []:
                values["program"].setdefault(program, []).append(entry)
            for industry in industries_of(entry):
                values["industry"].setdefault(industry, []).append(entry)
    program_pages = {page.program: page for page in by_kind["page"] if page.program}
    program_slugs = {p.name: p.slug for p in config.programs}
    industry_slugs = {i.name: i.slug for i in config.industries}
    for name, taxonomy in taxonomies.items():
        used: set[str] = set()
        # Programs keep the configuration's order; the others sort by slug.
        names = config.program_names if name == "program" else values[name]
        for value in names:
            if name == "province":
                slug = PROVINCE_SLUGS[value]
            elif name == "program":
                slug = program_slugs[value]
            elif value in industry_slugs:
                slug = industry_slugs[value]
            else:
                slug = slugify(value) or "term"
            base, n = slug, 2
            while slug in used:  # homophones (e.g. two industries with one pinyin)
                slug, n = f"{base}-{n}", n + 1
            used.add(slug)
            term = Term(
                name, value, slug, f"/{taxonomy.section}/{slug}/", sorted(values[name].get(value, []), key=sort_key)
            )
            if name == "program":
                term.page = program_pages.get(value)
            taxonomy.terms.append(term)
        if name != "program":
            taxonomy.terms.sort(key=lambda t: t.slug)
    return taxonomies
