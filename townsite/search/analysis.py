"""Tokens for search, identical in Python and in the browser (static/search.js).

Text is NFKC-normalized (full-width letters and digits become half-width) and lowercased.
Runs of CJK characters become overlapping bigrams (a one-character run stays one token), so
no dictionary is needed and index-time and query-time tokens always agree. Runs of letters and
digits become words. Everything else separates tokens. Character classes are explicit code
point ranges, not Unicode properties, so the Python and JavaScript sides cannot drift apart
when their Unicode versions differ. Keep `CJK_RANGES`/`WORD_RANGES` in step with search.js."""

from __future__ import annotations

import re
import unicodedata

from whoosh.analysis import Token, Tokenizer

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


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def tokenize(text: str) -> list[str]:
    """All tokens of `text`, in order, duplicates kept (they are term frequencies)."""
    tokens: list[str] = []
    for match in RUNS.finditer(normalize(text)):
        cjk, word = match.groups()
        if word:
            tokens.append(word[:MAX_WORD])
        elif len(cjk) == 1:
            tokens.append(cjk)
        else:
            tokens.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
    return tokens


def query_terms(query: str) -> list[str]:
    """Distinct tokens of a query, in first-seen order."""
    return list(dict.fromkeys(tokenize(query)))


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
