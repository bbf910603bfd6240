"""Slugs derived from Chinese names: one pinyin syllable per character, hyphen-joined, so
西吉长征胜利会师和平玫瑰小镇 becomes xi-ji-chang-zheng-sheng-li-hui-shi-he-ping-mei-gui-xiao-zhen.
pypinyin picks readings by phrase (长征 → chang zheng, 重庆 → chong qing)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pypinyin import lazy_pinyin
from slugify import slugify as ascii_slugify

from .fields import SLUG_MAX


@lru_cache(maxsize=4096)  # the same names (industries, terms) come back at every link of `serve`
def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """A URL-safe slug, or '' when nothing usable is left (the caller reports that)."""
    text = unicodedata.normalize("NFKC", text)
    syllables = lazy_pinyin(text, errors=lambda chars: [chars])  # type: ignore[arg-type,return-value]
    slug = ascii_slugify(" ".join(syllables), max_length=max_length, word_boundary=True)
    return slug
