"""镇企对接 on the linked site: every need and offer as a directory row, the matches between
them (matching.py) mapped back to entries, and what each page's 推荐对接 shows. Made once per
site and kept on it; templates read it as the `duijie` global."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from .matching import Match, NeedItem, OfferItem, match
from .model import Entry, Site
from .needs import NATIONWIDE, STATUS_LABELS


@dataclass(frozen=True)
class Row:
    """One need or offer, as the directory, the data exports and the matches show it."""

    key: str  # "town/xi-ji#1": stable, the fragment id is derived from it
    side: str  # need | offer
    owner: Entry
    number: int  # 1-based position in the owner's list
    item: dict[str, Any]  # the typed front-matter values

    @property
    def title(self) -> str:
        return self.item["title"]

    @property
    def is_open(self) -> bool:
        return self.side == "offer" or self.item["status"] == "open"

    @property
    def status_label(self) -> str:
        return "合作意向" if self.side == "offer" else STATUS_LABELS[self.item["status"]]

    @property
    def anchor(self) -> str:
        return f"{self.side}-{self.number}"

    @property
    def url(self) -> str:
        return f"{self.owner.url}#{self.anchor}"

    @property
    def provinces(self) -> list[str]:
        if self.side == "need":
            return [self.owner.province] if self.owner.province else []
        return [r for r in self.item["regions"] if r != NATIONWIDE]

    @property
    def regions_text(self) -> str:
        if self.side == "need":
            return self.owner.province or ""
        return "、".join(self.item["regions"])


@dataclass(frozen=True)
class Suggestion:
    """A match seen from one side: this page's row, the other side's row, and why."""

    mine: Row
    theirs: Row
    score: int
    reasons: tuple[str, ...]

    @property
    def why(self) -> str:
        return "；".join(self.reasons)


def _rows(site: Site) -> list[Row]:
    rows: list[Row] = []
    for kind, field, side in (("town", "seeking", "need"), ("park", "seeking", "need"), ("org", "offers", "offer")):
        for entry in site.entries.get(kind, []):
            for number, item in enumerate(entry.data.get(field) or [], start=1):
                rows.append(Row(f"{kind}/{entry.slug}#{number}", side, entry, number, item))
    return rows


def _need_item(row: Row) -> NeedItem:
    owner = row.owner
    return NeedItem(row.key, f"{owner.kind}/{owner.slug}", owner.province or "", tuple(row.item["industries"]),
                    tuple(row.item["partners"]), tuple(owner.programs or ()), row.is_open)  # fmt: skip


def _offer_item(row: Row) -> OfferItem:
    owner = row.owner
    return OfferItem(row.key, f"org/{owner.slug}", tuple(row.item["industries"]), tuple(row.item["partners"]),
                     tuple(row.item["regions"]), tuple(owner.programs or ()))  # fmt: skip


class Duijie:
    """The directory rows and the matches of one linked site."""

    def __init__(self, site: Site):
        self.site = site
        self.term_urls = {(t.taxonomy, t.name): t.url for tax in site.taxonomies.values() for t in tax.terms}
        self.rows = _rows(site)
        self.by_key = {row.key: row for row in self.rows}
        self.by_owner: dict[tuple[str, str], list[Row]] = {}
        for row in self.rows:
            self.by_owner.setdefault(row.owner.key, []).append(row)
        needs = [_need_item(r) for r in self.rows if r.side == "need"]
        offers = [_offer_item(r) for r in self.rows if r.side == "offer"]
        self.matches = match(needs, offers)
        self.needs = [r for r in self.rows if r.side == "need"]
        self.offers = [r for r in self.rows if r.side == "offer"]

    @property
    def open_needs(self) -> list[Row]:
        return [r for r in self.needs if r.is_open]

    def newest_needs(self, count: int) -> list[Row]:
        """The most recently updated open needs, for the home page."""
        return sorted(self.open_needs, key=lambda r: (-r.item["updated"].toordinal(), r.key))[:count]

    @property
    def listed(self) -> list[Row]:
        """What the directory lists: open needs, then offers, each in site order."""
        return [r for r in self.needs if r.is_open] + self.offers

    def rows_of(self, entry: Entry) -> list[Row]:
        return self.by_owner.get(entry.key, [])

    def suggestions(self, row: Row) -> list[Suggestion]:
        if row.side == "need":
            found: tuple[Match, ...] = self.matches.for_need.get(row.key, ())
            return [Suggestion(row, self.by_key[m.offer], m.score, m.reasons) for m in found]
        found = self.matches.for_offer.get(row.key, ())
        return [Suggestion(row, self.by_key[m.need], m.score, m.reasons) for m in found]

    def industry_url(self, name: str) -> str | None:
        return self.term_urls.get(("industry", name))

    def programs_of(self, org: Entry) -> list[tuple[str, str, str]]:
        """(program, its term page, the org's role) for each program an org takes part in."""
        roles: dict[str, str] = {}
        for page in org.backlinks.get("page", []):
            if page.program:
                role = "发起单位" if org in (page.data.get("founders") or []) else "支持与参与单位"
                roles.setdefault(page.program, role)
        names = org.programs or []
        urls = self.term_urls
        return [(n, urls[("program", n)], roles.get(n, "")) for n in names if ("program", n) in urls]

    def digest(self, entry: Entry) -> str:
        """What the entry's 推荐对接 shows, for the page's fingerprint: matches change when
        other entries change, which the page's own sources cannot say."""
        shown = [
            (s.theirs.key, s.theirs.title, s.theirs.owner.title, s.theirs.owner.url, s.why)
            for row in self.rows_of(entry)
            for s in self.suggestions(row)
        ]
        return hashlib.sha256(repr(shown).encode()).hexdigest()[:16] if shown else ""


def duijie_of(site: Site) -> Duijie:
    """The site's Duijie, made on first use and kept on the site (it never changes after linking)."""
    made = site.__dict__.get("_duijie")
    if made is None:
        made = site.__dict__["_duijie"] = Duijie(site)
    return made
