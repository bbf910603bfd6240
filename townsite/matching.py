"""Two-way matching of needs (招商需求 of towns and parks) and offers (合作意向 of orgs): plain
data in, ranked matches with their reasons in words out. Nothing here knows about pages.

The rule (documented in docs/content-guide.md):
- an offer fits an open need when they share at least one industry category, at least one
  partner kind, and the offer's regions include the need's province or 全国;
- score = 10 per shared industry + 5 per shared partner kind + 3 per shared program
  + 4 when the offer names the need's province (1 when it says 全国);
- each need keeps its best TOP offers, one per org; each offer its best TOP needs, one per
  town or park; ties go to the smaller key, so the result never depends on input order.

Offers are indexed by (industry, region) and needs by (industry, province), so each item only
meets the candidates that share an industry and a region; at most MAX_CANDIDATES of them are
scored per item, which keeps the work linear in the number of items whatever the content."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

NATIONWIDE = "全国"
TOP = 5
MAX_CANDIDATES = 400


@dataclass(frozen=True)
class NeedItem:
    key: str  # unique and stable, e.g. "town/xi-ji#1"
    owner: str  # the town or park, e.g. "town/xi-ji"
    province: str
    industries: tuple[str, ...]
    partners: tuple[str, ...]
    programs: tuple[str, ...]
    open: bool = True


@dataclass(frozen=True)
class OfferItem:
    key: str
    owner: str  # the org
    industries: tuple[str, ...]
    partners: tuple[str, ...]
    regions: tuple[str, ...]  # provinces, or 全国
    programs: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    need: str
    offer: str
    score: int
    reasons: tuple[str, ...]  # 共同产业：文化旅游 …


@dataclass(frozen=True)
class Matches:
    for_need: dict[str, tuple[Match, ...]]  # need key -> best offers
    for_offer: dict[str, tuple[Match, ...]]  # offer key -> best needs


def _shared(a: Sequence[str], b: Sequence[str]) -> list[str]:
    """Items of `a` also in `b`, in `a`'s order."""
    other = set(b)
    return [x for x in a if x in other]


def score(need: NeedItem, offer: OfferItem) -> Match | None:
    """The match of one need and one offer, or None when the offer does not fit."""
    industries = _shared(need.industries, offer.industries)
    partners = _shared(need.partners, offer.partners)
    named = need.province in offer.regions
    if not need.open or not industries or not partners or not (named or NATIONWIDE in offer.regions):
        return None
    programs = _shared(need.programs, offer.programs)
    points = 10 * len(industries) + 5 * len(partners) + 3 * len(programs) + (4 if named else 1)
    reasons = [f"共同产业：{'、'.join(industries)}", f"合作方式：{'、'.join(partners)}"]
    if programs:
        reasons.append(f"同属：{'、'.join(programs)}")
    reasons.append(f"意向地区：{need.province if named else NATIONWIDE}")
    return Match(need.key, offer.key, points, tuple(reasons))


def _best(matches: Iterable[Match], owner_of: dict[str, str], side: str) -> tuple[Match, ...]:
    """The TOP best matches, one per owner of the other side (its best one)."""
    ranked = sorted(matches, key=lambda m: (-m.score, getattr(m, side)))
    seen: set[str] = set()
    kept: list[Match] = []
    for match in ranked:
        owner = owner_of[getattr(match, side)]
        if owner not in seen:
            seen.add(owner)
            kept.append(match)
            if len(kept) == TOP:
                break
    return tuple(kept)


def _candidates(buckets: Iterable[list[str]]) -> list[str]:
    """Keys from the buckets in order, each once, at most MAX_CANDIDATES."""
    found: dict[str, None] = {}
    for bucket in buckets:
        for key in bucket:
            found.setdefault(key, None)
            if len(found) == MAX_CANDIDATES:
                return list(found)
    return list(found)


def match(needs: Sequence[NeedItem], offers: Sequence[OfferItem]) -> Matches:
    open_needs = sorted((n for n in needs if n.open), key=lambda n: n.key)
    offers = sorted(offers, key=lambda o: o.key)
    need_by, offer_by = {n.key: n for n in open_needs}, {o.key: o for o in offers}
    owner_of = {**{n.key: n.owner for n in open_needs}, **{o.key: o.owner for o in offers}}
    offer_index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for offer in offers:
        for industry in offer.industries:
            for region in offer.regions:
                offer_index[(industry, region)].append(offer.key)
    need_index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for need in open_needs:
        for industry in need.industries:
            need_index[(industry, need.province)].append(need.key)
            need_index[(industry, NATIONWIDE)].append(need.key)  # every need, for offers to 全国
    for_need: dict[str, tuple[Match, ...]] = {}
    for need in open_needs:
        buckets = [offer_index.get((i, r), []) for r in (need.province, NATIONWIDE) for i in need.industries]
        found = (score(need, offer_by[key]) for key in _candidates(buckets))
        for_need[need.key] = _best((m for m in found if m), owner_of, "offer")
    for_offer: dict[str, tuple[Match, ...]] = {}
    for offer in offers:
        buckets = [need_index.get((i, r), []) for r in offer.regions for i in offer.industries]
        found = (score(need_by[key], offer) for key in _candidates(buckets))
        for_offer[offer.key] = _best((m for m in found if m), owner_of, "need")
    return Matches(for_need, for_offer)
