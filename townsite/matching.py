"""Two-way matching of needs (招商需求 of towns and parks) and offers (合作意向 of orgs): plain
data in, ranked matches with their reasons in words out. Nothing here knows about pages.

The rule (documented in docs/content-guide.md):
- an offer fits an open need when they share at least one industry category, at least one
  partner kind, and the offer's regions include the need's province or 全国;
- score = 10 per shared industry + 5 per shared partner kind + 3 per shared program
  + 4 when the offer names the need's province (1 when it says 全国);
- each need keeps its best TOP offers, one per org; each offer its best TOP needs, one per
  town or park; ties go to the smaller key, so the result never depends on input order.

Offers are indexed by (industry, region, partner kind) and needs by (industry, province, partner
kind), so an item only meets candidates that already fit. Each candidate is counted once per
shared (industry, partner kind) pair; the SHORTLIST with the most are scored in full. At most
MAX_SCAN index entries are read per item, so the work stays linear in the number of items
whatever the content (and exact while no index entry list is longer than that)."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product

NATIONWIDE = "全国"
TOP = 5
MAX_SCAN = 4000  # bucket entries read per need or offer
SHORTLIST = 20  # candidates scored in full per need or offer


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
    """Items of `a` also in `b`, in `a`'s order (both are a few items long)."""
    return [x for x in a if x in b]


def score(need: NeedItem, offer: OfferItem) -> Match | None:
    """The match of one need and one offer, or None when the offer does not fit."""
    named = need.province in offer.regions
    if not need.open or not (named or NATIONWIDE in offer.regions):
        return None
    industries = _shared(need.industries, offer.industries)
    partners = _shared(need.partners, offer.partners) if industries else []
    if not partners:
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
    """The SHORTLIST keys found in the most buckets (those sharing the most industry and partner
    pairs), ties to the smaller key; at most MAX_SCAN bucket entries are read."""
    hits: Counter[str] = Counter()
    read = 0
    for bucket in buckets:
        for key in bucket[: MAX_SCAN - read]:
            hits[key] += 1
        read += min(len(bucket), MAX_SCAN - read)
        if read >= MAX_SCAN:
            break
    return [key for key, _count in heapq.nsmallest(SHORTLIST, hits.items(), key=lambda kv: (-kv[1], kv[0]))]


def match(needs: Sequence[NeedItem], offers: Sequence[OfferItem]) -> Matches:
    open_needs = sorted((n for n in needs if n.open), key=lambda n: n.key)
    offers = sorted(offers, key=lambda o: o.key)
    need_by, offer_by = {n.key: n for n in open_needs}, {o.key: o for o in offers}
    owner_of = {**{n.key: n.owner for n in open_needs}, **{o.key: o.owner for o in offers}}
    # Offers under (industry, region, partner); needs under (industry, province, partner) and
    # (industry, 全国, partner), where offers to the whole country look.
    offer_index: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for offer in offers:
        for key in product(offer.industries, offer.regions, offer.partners):
            offer_index[key].append(offer.key)
    need_index: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for need in open_needs:
        for industry, partner in product(need.industries, need.partners):
            need_index[(industry, need.province, partner)].append(need.key)
            need_index[(industry, NATIONWIDE, partner)].append(need.key)
    for_need: dict[str, tuple[Match, ...]] = {}
    for need in open_needs:
        keys = product(need.industries, (need.province, NATIONWIDE), need.partners)
        found = (score(need, offer_by[key]) for key in _candidates(offer_index.get(k, []) for k in keys))
        for_need[need.key] = _best((m for m in found if m), owner_of, "offer")
    for_offer: dict[str, tuple[Match, ...]] = {}
    for offer in offers:
        keys = product(offer.industries, offer.regions, offer.partners)
        found = (score(need_by[key], offer) for key in _candidates(need_index.get(k, []) for k in keys))
        for_offer[offer.key] = _best((m for m in found if m), owner_of, "need")
    return Matches(for_need, for_offer)
