"""What search knows of Chinese beyond characters, all made at build time from maintained data:

* traditional -> simplified, one character at a time, from OpenCC's t2s tables (the `opencc`
  package); applied to entries and queries alike, so either spelling finds the other;
* each character's default reading without tones (pypinyin), for homophone suggestions;
* the toneless syllables of Mandarin, to split typed pinyin (`xiji` -> xi ji) the same way
  here and in the browser (which gets the list in the manifest, and the per-character data
  in small shards, only when a query needs them).

Pinyin terms carry a prefix (`~` full syllables, `^` initials) that no text token can start
with, so `~xian` (县, or 西安's "xi an") never collides with an English word in the text."""

from __future__ import annotations

import base64
import heapq
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

SYLLABLE_PREFIX = "~"
INITIALS_PREFIX = "^"
MAX_PINYIN_LETTERS = 60  # longer Latin queries are not pinyin (and keep segmentation cheap)
INITIALS = frozenset("bpmfdtnlgkhjqxzcsryw")
# Characters whose data the browser may fetch: the unified ideographs (where pinyin lives) and
# every character OpenCC converts.
_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F), (0x30000, 0x323AF))


def _all_chars() -> list[str]:
    return [chr(code) for low, high in _BLOCKS for code in range(low, high + 1)]


@cache
def t2s_table() -> dict[str, str]:
    """Traditional character -> simplified character, OpenCC's t2s applied to each character
    on its own (no phrase context: queries and entries must convert the same way), followed
    to a fixed point so converting twice changes nothing."""
    try:
        import opencc
    except ImportError as exc:  # an environment fault, reported once by the caller
        raise RuntimeError("search needs the `opencc` package (pip install opencc)") from exc
    chars = _all_chars()
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table = {a: b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}
    for source, target in list(table.items()):
        seen = {source}
        while target in table and target not in seen:
            seen.add(target)
            target = table[target]
        table[source] = target
    return table


@cache
def _converter() -> tuple[re.Pattern[str], dict[int, str]]:
    """A pattern that finds whether a text may have a convertible character in one C-level
    scan (most texts have none), and the table as str.translate takes it. The pattern is the
    convertible characters of the basic plane, which the regex engine tests with a bitmap, and
    any character beyond it (those are rare; naming each one would make every test a scan)."""
    table = t2s_table()
    basic = "".join(sorted(re.escape(ch) for ch in table if ord(ch) <= 0xFFFF))
    return re.compile(f"[{basic}\\U00010000-\\U0010ffff]"), {ord(a): b for a, b in table.items()}


def to_simplified(text: str) -> str:
    convertible, table = _converter()
    return text.translate(table) if convertible.search(text) else text


_U_WITH_DIAERESIS = str.maketrans(dict.fromkeys("üǖǘǚǜ", "v"))


def toneless(toned: str) -> str:
    """A reading without its tone mark, ü written v (pypinyin's Style.NORMAL, tested equal to
    its to_normal); one C-level pass instead of pypinyin's per-reading regexes."""
    decomposed = unicodedata.normalize("NFD", toned.translate(_U_WITH_DIAERESIS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def readings() -> dict[str, str]:
    """Ideograph -> its default reading without tone (ü as v, as keyboards type it)."""
    from pypinyin import pinyin_dict

    plain_of: dict[str, str] = {}  # some 1,500 distinct readings for 40,000 characters
    table: dict[str, str] = {}
    for low, high in _BLOCKS:
        for code, toned in pinyin_dict.pinyin_dict.items():
            if low <= code <= high:
                first = toned.split(",", 1)[0]
                plain = plain_of.get(first) or plain_of.setdefault(first, toneless(first))
                if plain.isascii() and plain.isalpha():
                    table[chr(code)] = plain
    return table


@cache
def syllables() -> frozenset[str]:
    return frozenset(readings().values())


def run_pinyin(run: str) -> tuple[str, ...]:
    """Readings of a run of simplified characters, with pypinyin's phrase context (重庆: chong
    qing); a character without a reading gets its default or nothing. pypinyin reads a text
    word by word as its own segmenter cuts it, each word on its own, and is slow per word: the
    words (provinces, places, themes) recur far more than whole titles, so they are kept."""
    from pypinyin.seg.simpleseg import seg  # what lazy_pinyin cuts a text with

    return tuple(chain.from_iterable(map(_word_pinyin, seg(run))))


@lru_cache(maxsize=1 << 16)
def _word_pinyin(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    syllable_set = syllables()
    # One reading per character, "" for a character without one (the stubs say str; a list is
    # what pypinyin uses to keep the count right).
    no_reading: Any = lambda chars: ["" for _ in chars]  # noqa: E731
    out = lazy_pinyin(word, style=Style.NORMAL, v_to_u=False, errors=no_reading)
    return tuple(s if s in syllable_set else "" for s in out)


def segment(letters: str, known: Iterable[str] | None = None) -> list[str] | None:
    """Split lowercase letters into the fewest syllables (ties: the longer first syllable),
    or None when they are not pinyin. Dynamic programming: linear in the length."""
    syllable_set = frozenset(known) if known is not None else syllables()
    n = len(letters)
    if not n or n > MAX_PINYIN_LETTERS or not letters.isascii() or not letters.isalpha():
        return None
    longest = 6  # zhuang, shuang: no syllable is longer
    best: list[tuple[int, int] | None] = [None] * (n + 1)  # from position i: (count, first length)
    best[n] = (0, 0)
    for i in range(n - 1, -1, -1):
        for length in range(min(longest, n - i), 0, -1):  # longer first wins ties
            rest = best[i + length]
            if rest is not None and letters[i : i + length] in syllable_set:
                candidate = (rest[0] + 1, length)
                if best[i] is None or candidate[0] < best[i][0]:  # type: ignore[index]
                    best[i] = candidate
    if best[0] is None:
        return None
    out, i = [], 0
    while i < n:
        length = best[i][1]  # type: ignore[index]
        out.append(letters[i : i + length])
        i += length
    return out


PINYIN_SPLITS = 3  # splits of typed pinyin tried in turn (xianzhen: xian zhen, then xi an zhen)


def segmentations(letters: str, limit: int = PINYIN_SPLITS) -> list[list[str]]:
    """Up to `limit` splits of lowercase letters into syllables: segment's, then the next best
    in its order (fewest syllables, then the longer syllables first) made of syllables with a
    vowel (not the interjections n, m, ng, hm: `xian zhe n` is nobody's reading); [] when the
    letters are not pinyin. Dynamic programming keeping each suffix's best `limit` splits: among
    splits starting with the same syllable, a split ranks as its rest does."""
    first = segment(letters)
    if first is None:
        return []
    known = frozenset(s for s in syllables() if any(v in s for v in "aeiouv"))
    n = len(letters)
    best: list[list[list[str]]] = [[] for _ in range(n + 1)]  # from position i: its best splits
    best[n] = [[]]
    for i in range(n - 1, -1, -1):
        found = [[letters[i : i + size], *rest]
                 for size in range(min(6, n - i), 0, -1) if letters[i : i + size] in known
                 for rest in best[i + size]]  # fmt: skip
        found.sort(key=lambda split: (len(split), [-len(s) for s in split]))
        best[i] = found[:limit]
    return [first, *(split for split in best[0] if split != first)][:limit]


def syllable_terms(run: list[str]) -> list[str]:
    """Terms of one run of syllables: adjacent pairs joined (xi ji -> ~xiji), one alone as itself."""
    if len(run) == 1:
        return [SYLLABLE_PREFIX + run[0]]
    return [SYLLABLE_PREFIX + run[i] + run[i + 1] for i in range(len(run) - 1)]


def initials_terms(letters: str) -> list[str]:
    return [INITIALS_PREFIX + letters[i : i + 2] for i in range(len(letters) - 1)]


def is_initials(letters: str) -> bool:
    return 2 <= len(letters) <= 8 and letters.isascii() and all(ch in INITIALS for ch in letters)


def data_versions() -> str:
    """The versions of the data behind conversion and readings: cached terms depend on them."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("opencc", "pypinyin"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} missing")
    return ", ".join(found)


def char_data(shard_count: int) -> dict[int, dict[str, list[str]]]:
    """What the browser may need of a query's characters, by shard (code point % shard_count):
    character -> [simplified form or "", reading of the simplified form or ""], for every
    character that converts or has a reading."""
    table, sounds = t2s_table(), readings()
    shards: dict[int, dict[str, list[str]]] = {n: {} for n in range(shard_count)}
    for ch, simple in table.items():
        shards[ord(ch) % shard_count][ch] = [simple, sounds.get(simple, "")]
    for ch, sound in sounds.items():
        if ch not in table:
            shards[ord(ch) % shard_count][ch] = ["", sound]
    return shards


TRADITIONAL_BLOCK = (0x3400, 0x9FFF)  # extension A and the unified ideographs: nearly all of them
COMMON_CONVERSIONS = 256  # about 1.2 KB in the manifest; 98% of the real content's queries need no more


def common_conversions(frequency: Callable[[str], int], limit: int = COMMON_CONVERSIONS) -> str:
    """The conversions of TRADITIONAL_BLOCK the browser gets with the manifest, as one string
    of pairs (traditional, simplified) in code point order: the `limit` whose simplified forms
    are in the most documents (`frequency`: a simplified character -> its document count; none
    of a character no document holds, which no query could find). A traditional query takes
    its conversions from here, and only a rarer character from its c/ file."""
    low, high = TRADITIONAL_BLOCK
    found = [(count, ch, simple) for ch, simple in t2s_table().items()
             if low <= ord(ch) <= high and (count := frequency(simple))]  # fmt: skip
    chosen = sorted(heapq.nsmallest(limit, found, key=lambda item: (-item[0], item[1])), key=itemgetter(1))
    return "".join(ch + simple for _, ch, simple in chosen)


def traditional_bits() -> str:
    """The characters of TRADITIONAL_BLOCK that t2s converts, one bit per code point (least
    significant first), base64: what static/search.js/traditional.js knows without asking (it
    converts them before searching, from the manifest's common_conversions or, for a rarer one,
    its c/ file; other characters wait for the c/ files until the text found nothing whole)."""
    low, high = TRADITIONAL_BLOCK
    bits = bytearray((high - low + 8) // 8)
    for ch in t2s_table():
        if low <= ord(ch) <= high:
            bits[(ord(ch) - low) >> 3] |= 1 << ((ord(ch) - low) & 7)
    return base64.b64encode(bytes(bits)).decode()
