"""What search sees of each published entry: text fields to rank on, facets to filter by,
and the few fields a result shows."""

from __future__ import annotations

import hashlib
import json
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from pathlib import Path
from struct import pack

from ..formatting import date_range_zh, date_zh
from ..model import Entry, Site
from ..schema import KIND_LABELS  # kinds and labels in site order: the kind filter's values
from ..store import Table, code_digest
from .analysis import pinyin_spelled, token_counts, tokenize
from .chinese import data_versions

# Field name -> boost. Boosts are whole numbers so weights (tf x boost) stay exact. `pinyin`
# holds the readings of the title and places (prefixed terms, see chinese.py).
FIELDS: tuple[tuple[str, int], ...] = (("title", 3), ("summary", 2), ("meta", 1), ("body", 1), ("pinyin", 1))
ANALYZER_VERSION = "bigram-unigram-t2s-pinyin-2"
PLACE_KEYS = ("province", "city", "county", "venue")
EXCERPT_SOURCE = 6000  # characters of the body a result's excerpt is chosen from (bounds a result's bytes)

# Markdown that is not content: link targets, tags, table rules, and the marks of headings,
# lists, emphasis and tables (for excerpts). Each pattern is one bounded class: linear.
_TABLE_RULE = re.compile(r"^[ \t]*+(?:\|[ \t]*+)?:?-[-:| \t]*+$", re.MULTILINE)
_MARKS = re.compile(r"[#*_>|`\[\]]+")
_SPACES = re.compile(r"\s+")


# Every term counted, once: what sys.intern would do, at half its cost. It only grows with the
# site's vocabulary (tens of thousands of terms), also in a long `serve`.
_TERMS: dict[str, str] = {}


class TermCounts(Mapping[str, int]):
    """One field's term -> count, kept for every entry for the whole build: a tuple of shared
    terms (one string per term however many entries have it) and an array of counts, about a
    quarter of a Counter's memory. Iterate it with items(); a lookup by term is a scan."""

    __slots__ = ("counts", "terms")

    def __init__(self, source: Iterable[str] | Mapping[str, int]) -> None:
        counted = source if isinstance(source, Mapping) else Counter(source)
        self.terms = tuple(map(_TERMS.setdefault, counted, counted))
        # struct packs the counts at once; array() would convert them one call at a time.
        self.counts = array("i", pack(f"{len(counted)}i", *counted.values()))

    @classmethod
    def saved(cls, terms: tuple[str, ...], counts: bytes) -> TermCounts:
        """From `(terms, bytes(counts))` as saved (marshal writes a shared term once: loaded, it is shared)."""
        made = cls.__new__(cls)
        made.terms, made.counts = terms, array("i", counts)
        return made

    def __getitem__(self, term: str) -> int:
        try:
            return self.counts[self.terms.index(term)]
        except ValueError:
            raise KeyError(term) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def keys(self) -> tuple[str, ...]:  # type: ignore[override]
        return self.terms

    def values(self) -> array:  # type: ignore[override]
        return self.counts

    def items(self) -> zip[tuple[str, int]]:  # type: ignore[override]
        return zip(self.terms, self.counts, strict=True)


@dataclass(frozen=True)
class SearchDoc:
    key: str  # the entry's URL: unique and stable
    texts: dict[str, str]  # field -> text
    kind: str
    province: str
    programs: tuple[str, ...]
    display: dict[str, str]  # title, kind label, url, when/where, summary

    @cached_property
    def digest(self) -> str:
        """Changes whenever anything search keeps of the entry changes."""
        payload = json.dumps([ANALYZER_VERSION, self.texts, self.kind, self.province, self.programs, self.display],
                             ensure_ascii=False, sort_keys=True)  # fmt: skip
        return hashlib.sha256(payload.encode()).hexdigest()[:24]

    @cached_property
    def tokens(self) -> dict[str, list[str]]:
        """field -> tokens; tokenizing is the costly part of indexing, so it happens once and
        Whoosh is handed the token lists."""
        tokens = {field: tokenize(self.texts[field]) for field, _ in FIELDS if field != "pinyin"}
        return {**tokens, "pinyin": [term for term, _ in self.spelled]}

    @cached_property
    def spelled(self) -> list[tuple[str, str]]:
        """(pinyin term, the characters it reads) of the title and places: made once, for the
        pinyin field's tokens and for the spellings of homophone suggestions."""
        return pinyin_spelled(self.texts["pinyin"])

    @cached_property
    def term_counts(self) -> dict[str, TermCounts]:
        """field -> term -> count, the same as counting `tokens` but without keeping them (a
        token list costs about 80 bytes a token)."""
        counts = {field: TermCounts(token_counts(self.texts[field])) for field, _ in FIELDS if field != "pinyin"}
        counts["pinyin"] = TermCounts(term for term, _ in self.spelled)
        return counts


def _drop_between(text: str, opener: str, closer: str) -> str:
    """`text` with every `opener`...`closer` span replaced by "]", in one pass: once no closer
    follows, none will, so nothing is searched twice (a regex with a negated class would rescan
    from every opener: quadratic on a line of thousands of "](")."""
    out, pos = [], 0
    while (start := text.find(opener, pos)) >= 0:
        end = text.find(closer, start + len(opener))
        if end < 0:
            break
        out.append(text[pos:start] + "]")
        pos = end + len(closer)
    out.append(text[pos:])
    return "".join(out)


def plain_body(markdown: str) -> str:
    """Markdown minus link targets, tags and table rules: their words are not content."""
    text = _drop_between(_drop_between(markdown, "](", ")"), "<", ">")
    return _TABLE_RULE.sub("]", text)


def excerpt_source(plain: str) -> str:
    """The body as a visitor reads it, for excerpts, from its `plain_body`: no Markdown marks,
    whitespace collapsed."""
    text = _SPACES.sub(" ", _MARKS.sub(" ", plain)).strip()
    return text[:EXCERPT_SOURCE]


def _when_where(entry: Entry) -> str:
    if entry.kind == "event":
        place = entry.city or entry.province or ""
        return date_range_zh(entry.date, entry.end) + (f" · {place}" if place else "")
    if entry.kind == "org":
        return " · ".join(x for x in (entry.type, entry.province or entry.country, entry.city) if x)
    if entry.kind in ("town", "park"):
        place = " · ".join(x for x in (entry.province, entry.city, entry.county) if x)
        opened = f" · {date_zh(entry.opened)}开园" if entry.opened else ""
        return place + opened
    return ""


def search_doc(entry: Entry) -> SearchDoc:
    data = entry.data
    meta_parts = [KIND_LABELS[entry.kind]]
    keys = ("province", "city", "county", "park_type", "status", "event_type", "venue", "program", "type", "country")
    for key in keys:
        if data.get(key):
            meta_parts.append(str(data[key]))
    for key in ("programs", "industries", "organizers", "anchors"):
        meta_parts.extend(data.get(key) or [])
    for item in [*(data.get("seeking") or []), *(data.get("offers") or [])]:  # needs and offers (镇企对接)
        meta_parts.extend([item["title"], *item["industries"], *item["partners"], item.get("description", "")])
    for key in ("date", "end", "opened"):
        if data.get(key):
            meta_parts.append(data[key].isoformat())
    programs = tuple(data.get("programs") or ([data["program"]] if data.get("program") else []))
    places = [str(data[key]) for key in PLACE_KEYS if data.get(key)]
    plain = plain_body(entry.body)
    return SearchDoc(
        key=entry.url,
        texts={
            "title": entry.title,
            "summary": entry.summary or "",
            "meta": " ".join(meta_parts),
            "body": plain,
            "pinyin": " ".join([entry.title, *places]),
        },
        kind=entry.kind,
        province=entry.province or "",
        programs=programs,
        display={
            "title": entry.title,
            "kind": entry.kind,
            "url": entry.url,
            "when": _when_where(entry),
            "summary": entry.summary or "",
            "text": excerpt_source(plain),
        },
    )


def search_docs(site: Site) -> list[SearchDoc]:
    """In site order; a document's position is its id in the export and breaks score ties."""
    return [search_doc(entry) for entry in site.all_entries()]


# Term counts by document digest, kept between builds, stamped with the code that makes them.
_CODE = code_digest(*(Path(__file__).with_name(name) for name in ("analysis.py", "chinese.py", "documents.py")))


def terms_table(cache_dir: Path) -> Table:
    return Table(cache_dir / "search-terms.bin", f"analyzer {ANALYZER_VERSION} {_CODE} {data_versions()}")


def load_term_counts(table: Table, docs: list[SearchDoc]) -> bool:
    """Fills in the cached counts; False when the table does not hold exactly these documents."""
    rows = table.load()
    for doc in docs:
        row = rows.get(doc.digest)
        if row is not None:
            doc.__dict__["term_counts"] = {field: TermCounts.saved(*saved) for field, saved in row.items()}
    return len(rows) == len(docs) and all(doc.digest in rows for doc in docs)


def save_term_counts(table: Table, docs: list[SearchDoc]) -> None:
    """Each field as (terms, bytes of the counts): marshal writes those at once."""
    table.save({doc.digest: {field: (c.terms, c.counts.tobytes()) for field, c in doc.term_counts.items()}
                for doc in docs})  # fmt: skip


def pinyin_spellings(docs: list[SearchDoc]) -> dict[str, str]:
    """Pinyin term -> the characters it most often reads in titles and places (ties: the first
    in code point order): how a homophone suggestion is written."""
    chosen: dict[str, tuple[int, str]] = {}  # term -> the least (-count, characters)
    for (term, chars), count in Counter(chain.from_iterable(doc.spelled for doc in docs)).items():
        if (-count, chars) < chosen.get(term, (0, "")):  # (0, ""): after any count
            chosen[term] = (-count, chars)
    return {term: chars for term, (_, chars) in chosen.items()}
