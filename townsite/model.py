"""The in-memory model every stage after validation works on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .schema import KIND_NAMES, KINDS


@dataclass(eq=False)
class Entry:
    kind: str  # town | park | event | page
    slug: str
    source: str  # project-relative path of the Markdown file
    digest: str  # hash of the source bytes
    data: dict[str, Any]  # typed front-matter values; references become Entry after linking
    lines: dict[str, int]  # field -> line in the source, for messages from later stages
    body: str  # Markdown
    body_line: int
    front_digest: str = ""  # hash of the typed front matter: what other pages may show of it
    # Filled in by the link stage:
    url: str = ""  # site path, e.g. /towns/xi-ji/ (without the base path)
    backlinks: dict[str, list[Entry]] = field(default_factory=dict)  # kind -> entries

    def __getattr__(self, name: str) -> Any:
        # Templates read fields as attributes (entry.province); missing optional ones are None.
        if name.startswith("__"):
            raise AttributeError(name)
        return self.__dict__.get("data", {}).get(name)

    def fresh(self) -> Entry:
        """An unlinked copy: linking replaces reference values and sets URLs and back-links,
        so a cached validated entry is copied before each link."""
        return Entry(self.kind, self.slug, self.source, self.digest, dict(self.data), self.lines, self.body,
                     self.body_line, self.front_digest)  # fmt: skip

    @property
    def title(self) -> str:
        return self.data.get("name") or self.data.get("title") or self.slug

    @property
    def draft(self) -> bool:
        return bool(self.data.get("draft"))

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.slug)

    @property
    def start(self) -> dt.date | None:
        """The date an entry is sorted by: an event's start, a town's opening."""
        return self.data.get("date") or self.data.get("opened")

    def related(self, kind: str) -> list[Entry]:
        """Entries of `kind` this one points at or that point at it, in site order. Linking
        is over before anything asks, so the answer is kept."""
        cache = self.__dict__.setdefault("_related_cache", {})
        if kind not in cache:
            cache[kind] = self._related(kind)
        return cache[kind]

    def _related(self, kind: str) -> list[Entry]:
        forward = KINDS[kind].folder  # a list of references to a kind is named by its plural
        linked = list(self.data.get(forward) or [])
        if kind == "town" and self.data.get("town"):
            linked.append(self.data["town"])
        for other in self.backlinks.get(kind, []):
            if other not in linked:
                linked.append(other)
        return sorted(linked, key=sort_key)

    def __repr__(self) -> str:
        return f"<Entry {self.kind}:{self.slug}>"


def _field(name: str) -> property:
    return property(lambda self: self.data.get(name), doc=f"The `{name}` field, or None.")


# Fields that every page and every timeline reads: plain properties, several times faster than
# the __getattr__ fallback (which runs only after a failed lookup).
for _name in ("date", "end", "province", "city", "county", "summary", "programs", "event_type", "organizers", "venue"):
    setattr(Entry, _name, _field(_name))


def sort_key(entry: Entry) -> tuple:
    """Events newest first, everything else by pinyin slug: stable across runs."""
    if entry.kind == "event":
        start = entry.data.get("date")
        return (entry.kind, -start.toordinal() if start else 0, entry.slug)
    return (entry.kind, entry.slug)


@dataclass
class Term:
    """One value of a taxonomy (a province, a program, an industry) and what carries it."""

    taxonomy: str
    name: str
    slug: str
    url: str
    entries: list[Entry] = field(default_factory=list)
    page: Entry | None = None  # for programs: the page that presents the program

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]


@dataclass
class Taxonomy:
    name: str  # province | program | industry
    section: str  # URL section: provinces | programs | industries
    label: str  # 省份
    terms: list[Term] = field(default_factory=list)


@dataclass
class Site:
    entries: dict[str, list[Entry]]  # kind -> sorted entries (published only)
    by_key: dict[tuple[str, str], Entry]
    taxonomies: dict[str, Taxonomy]

    def all_entries(self) -> list[Entry]:
        return [e for kind in KIND_NAMES for e in self.entries.get(kind, [])]
