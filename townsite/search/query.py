"""What a query means, the same here and in static/search.js (the browser mirrors each step).

A query becomes a `Plan`: the terms to fetch and score, and coverage groups. An entry matches
whole when every group has one of its terms: each character of a run typed without spaces must
be covered by a bigram the entry contains (扶贫峰会 matches an entry with 扶贫 and 峰会 apart; the
spanning 贫峰 is scored when present, never required); a one-character run needs that character;
a word needs the word. The score is the sum of the plan's terms the entry has (BM25F, see
scoring.py); entries whose *title* covers the query rank above the rest, by their title's score
(the entry about 园区联盟 before the events that name it in a longer title).

The stages, first that finds whole matches wins:
1. the text, converted to simplified characters;
2. an all-Latin query read as pinyin (`xiji`, `xi ji`; initials such as `xj`), against the
   readings of titles and places; the best few splits of its letters in turn (`xianzhen`:
   xian zhen, then xi an zhen);
3. a Chinese query with the same reading (西及 -> xi ji -> 西吉): the results of that reading,
   and its usual spelling offered as the query meant ("您要找的是：西吉");
4. otherwise entries with any of the text's terms, marked partial."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .analysis import runs
from .chinese import initials_terms, is_initials, readings, segmentations, syllable_terms

WHOLE, PINYIN, HOMOPHONE, PARTIAL, NONE = "whole", "pinyin", "homophone", "partial", "none"


@dataclass(frozen=True)
class Plan:
    terms: tuple[str, ...]  # distinct, in first-seen order
    groups: tuple[tuple[str, ...], ...]  # each must be met by one of its terms
    runs: tuple[tuple[str, ...], ...] = ()  # pinyin plans: the term runs (for spelling them)


@dataclass(frozen=True)
class Hit:
    doc_id: int  # position in site order (the export's id)
    units: int  # score in 1/SCALE units
    title: int  # when the title alone covers the query: the title's score, else 0

    @property
    def order(self) -> tuple[bool, int, int, int]:
        return (not self.title, -self.title, -self.units, self.doc_id)


@dataclass(frozen=True)
class Outcome:
    hits: list[Hit]
    stage: str  # WHOLE, PINYIN, HOMOPHONE, PARTIAL or NONE
    plan: Plan  # the plan the hits come from (its terms are what to highlight)
    suggestion: str = ""  # HOMOPHONE: the query meant


class Ranker(Protocol):
    def whole(self, plan: Plan) -> list[Hit]: ...
    def any(self, plan: Plan) -> list[Hit]: ...
    def spelling(self, term: str) -> str: ...


def covering(pairs: list[str], count: int) -> list[tuple[str, ...]]:
    """Groups for a run of `count` units whose adjacent pairs are `pairs`: unit j is covered by
    the pair before it or the pair after it."""
    if count == 1:
        return [tuple(pairs)]
    groups = []
    for j in range(count):
        groups.append(tuple(pairs[k] for k in (j - 1, j) if 0 <= k < len(pairs)))
    return groups


def _plan(parts: list[tuple[list[str], list[tuple[str, ...]]]]) -> Plan:
    terms = tuple(dict.fromkeys(t for part_terms, _ in parts for t in part_terms))
    groups = tuple(dict.fromkeys(g for _, part_groups in parts for g in part_groups))
    return Plan(terms, groups, tuple(tuple(part_terms) for part_terms, _ in parts))


def text_plan(query: str) -> Plan:
    parts: list[tuple[list[str], list[tuple[str, ...]]]] = []
    for kind, run in runs(query):
        if kind == "word" or len(run) == 1:
            parts.append(([run], [(run,)]))
        else:
            pairs = [run[i : i + 2] for i in range(len(run) - 1)]
            parts.append((pairs, covering(pairs, len(run))))
    return _plan(parts)


def _syllable_part(syllables: list[str]) -> tuple[list[str], list[tuple[str, ...]]]:
    terms = syllable_terms(syllables)
    return terms, covering(terms, len(syllables))


def pinyin_plans(query: str) -> list[Plan]:
    """An all-Latin query as pinyin: the best few splits of its letters into syllables, tried
    in turn (xianzhen: xian zhen, then xi an zhen, which 西安镇 reads), or else initials."""
    found = runs(query)
    if not found or any(kind != "word" for kind, _ in found):
        return []
    letters = "".join(run for _, run in found)
    splits = segmentations(letters)
    if splits:
        return [_plan([_syllable_part(split)]) for split in splits]
    if is_initials(letters):
        terms = initials_terms(letters)
        return [_plan([(terms, covering(terms, len(letters)))])]
    return []


def pinyin_plan(query: str) -> Plan | None:
    """The first of pinyin_plans."""
    return next(iter(pinyin_plans(query)), None)


def homophone_plan(query: str) -> Plan | None:
    """An all-Chinese query as the default readings of its characters."""
    found = runs(query)
    table = readings()
    if not found or any(kind != "cjk" or any(ch not in table for ch in run) for kind, run in found):
        return None
    return _plan([_syllable_part([table[ch] for ch in run]) for _, run in found])


def spell(plan: Plan, ranker: Ranker) -> str:
    """The usual writing of a pinyin plan: each run's pairs overlap by one character."""
    words = []
    for run in plan.runs:
        word = ""
        for term in run:
            text = ranker.spelling(term)
            if not text:
                return ""
            word = text if not word else word + text[1:]
        words.append(word)
    return " ".join(words)


def search(query: str, ranker: Ranker) -> Outcome:
    text = text_plan(query)
    if not text.terms:
        return Outcome([], NONE, text)
    hits = ranker.whole(text)
    if hits:
        return Outcome(hits, WHOLE, text)
    for pinyin in pinyin_plans(query):
        if hits := ranker.whole(pinyin):
            return Outcome(hits, PINYIN, pinyin)
    sounds = homophone_plan(query)
    if sounds is not None and (hits := ranker.whole(sounds)):
        meant = spell(sounds, ranker)
        typed = " ".join(run for _, run in runs(query))
        return Outcome(hits, HOMOPHONE, sounds, meant if meant != typed else "")
    hits = ranker.any(text)
    return Outcome(hits, PARTIAL if hits else NONE, text)


def ranked(scores: dict[int, int], titled: dict[int, int]) -> list[Hit]:
    """Entries whose titles cover the query first, by their titles' score, then the rest; then
    by score, then in site order."""
    hits = [Hit(doc_id, units, titled.get(doc_id, 0)) for doc_id, units in scores.items()]
    hits.sort(key=lambda h: h.order)
    return hits
