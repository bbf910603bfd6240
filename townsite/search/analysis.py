"""Tokens for search, identical in Python and in the browser (static/search.js).

Text is NFKC-normalized (full-width letters and digits become half-width), lowercased and
converted to simplified characters (chinese.t2s_table, one character at a time). Runs of CJK
characters become their overlapping bigrams and their single characters (宁夏 -> 宁夏 宁 夏): a
query of two or more characters is matched with bigrams, a one-character query with the single
characters. No dictionary is needed and index-time and query-time tokens always agree. Runs of
letters and digits become words. Everything else separates tokens. Character classes are
explicit code point ranges, not Unicode properties, so the Python and JavaScript sides cannot
drift apart when their Unicode versions differ. Keep `CJK_RANGES`/`WORD_RANGES` in step with
search.js. Every pass here is linear in the text (a regex of single character classes)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import chain

from whoosh.analysis import Token, Tokenizer

from .chinese import SYLLABLE_PREFIX, initials_terms, run_pinyin, syllable_terms, to_simplified

# Han (CJK Unified Ideographs and Extensions A-H, compatibility ideographs), kana, Hangul.
CJK_RANGES = (
    (0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F), (0x30000, 0x323AF),
)  # fmt: skip
# ASCII digits and letters, Latin-1 and Latin Extended letters, Greek, Cyrillic.
WORD_RANGES = (
    (0x30, 0x39), (0x61, 0x7A), (0xDF, 0xF6), (0xF8, 0xFF), (0x100, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF),
)  # fmt: skip
MAX_WORD = 40  # longer "words" are noise (hashes, URLs) and are cut


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges)


# One pass of a regex finds the maximal runs of each class; anything else separates them.
RUNS = re.compile(f"([{_char_class(CJK_RANGES)}]+)|([{_char_class(WORD_RANGES)}]+)")
_CJK_RUNS = re.compile(f"[{_char_class(CJK_RANGES)}]+")
_WORDS = re.compile(f"[{_char_class(WORD_RANGES)}]+")
# Full-width ASCII (，（）：) and the ideographic space, common in Chinese text: NFKC makes each
# one ASCII character. Replacing them first leaves the NFKC form as it was (it depends only on
# the characters' compatibility decompositions) and most text then needs no normalizing at
# all, which is costly per character.
_WIDE = re.compile("[\u3000\uff01-\uff5e]")


def normalize(text: str) -> str:
    if not unicodedata.is_normalized("NFKC", text):  # a quick check; most text already is
        for wide in set(_WIDE.findall(text)):
            text = text.replace(wide, unicodedata.normalize("NFKC", wide))
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return to_simplified(text.lower())


def runs(text: str) -> list[tuple[str, str]]:
    """(kind, run) for each maximal run, kind "cjk" or "word" (words cut to MAX_WORD)."""
    out: list[tuple[str, str]] = []
    for match in RUNS.finditer(normalize(text)):
        cjk, word = match.groups()
        out.append(("word", word[:MAX_WORD]) if word else ("cjk", cjk))
    return out


def cjk_tokens(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + list(run)


def tokenize(text: str) -> list[str]:
    """All index tokens of `text`, in order, duplicates kept (they are term frequencies)."""
    tokens: list[str] = []
    for kind, run in runs(text):
        if kind == "word":
            tokens.append(run)
        else:
            tokens.extend(cjk_tokens(run))
    return tokens


def token_counts(text: str) -> Counter[str]:
    """Counter(tokenize(text)) without the token list, the costly part of indexing: bigrams
    sliced from the CJK runs in one comprehension, characters counted straight from the runs."""
    text = normalize(text)
    cjk = _CJK_RUNS.findall(text)
    counts = Counter([run[i : i + 2] for run in cjk for i in range(len(run) - 1)])
    counts.update("".join(cjk))
    words = _WORDS.findall(text)
    if words and max(map(len, words)) > MAX_WORD:
        words = [word[:MAX_WORD] for word in words]
    counts.update(words)
    return counts


def pinyin_words(run: str) -> list[tuple[list[str], str]]:
    """(syllables, characters) for each stretch with readings of a run of CJK characters."""
    out = []
    start = 0
    sounds = run_pinyin(run)
    for end in range(len(run) + 1):
        if end == len(run) or not sounds[end]:
            if end > start:
                out.append((list(sounds[start:end]), run[start:end]))
            start = end + 1
    return out


def pinyin_spelled(text: str) -> list[tuple[str, str]]:
    """(term, the characters it reads) for every pinyin term of `text`: syllables alone and in
    adjacent pairs (~xi ~ji ~xiji), and pairs of initials (^xj)."""
    return list(chain.from_iterable(map(_spelled_run, _CJK_RUNS.findall(normalize(text)))))


@lru_cache(maxsize=1 << 16)  # places and provinces recur
def _spelled_run(run: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for sounds, chars in pinyin_words(run):
        pairs = syllable_terms(sounds) if len(sounds) > 1 else []
        out.extend(zip(pairs, (chars[i : i + 2] for i in range(len(chars) - 1)), strict=True))
        out.extend(zip((SYLLABLE_PREFIX + s for s in sounds), chars, strict=True))
        initials = "".join(s[0] for s in sounds)
        out.extend(zip(initials_terms(initials), (chars[i : i + 2] for i in range(len(chars) - 1)), strict=True))
    return tuple(out)


class BigramTokenizer(Tokenizer):
    """The same tokens for Whoosh (it needs no positions: there are no phrase queries)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, text in enumerate(globals()["tokenize"](value)):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            yield token
