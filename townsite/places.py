"""Places as Chinese writes them, from large to small: 四川省宜宾市翠屏区, never 宜宾市翠屏区，四川."""

from __future__ import annotations

import re

from .model import Entry
from .schema import PROVINCE_ALIASES, PROVINCES

# The official name of each: 北京市, 宁夏回族自治区, 香港特别行政区, else the 省 (PROVINCE_ALIASES
# also accepts 北京省 and the like from editors, which no one should be shown).
FULL_NAMES = {short: f"{short}省" for short in PROVINCES} | {
    short: full for full, short in PROVINCE_ALIASES.items() if not full.endswith("省")
}
_LEVEL = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市|县|区)$")


def province_name(short: str) -> str:
    """The official name of a province: 宁夏 → 宁夏回族自治区, 北京 → 北京市."""
    return FULL_NAMES.get(short, short)


def join_large_to_small(parts: list[str | None]) -> str:
    """Parts from large to small, run together without repeats: a part already said is dropped,
    and a part that starts with the previous one's name replaces it (四川省 + 宜宾 + 宜宾市翠屏区
    → 四川省宜宾市翠屏区; 北京市 + 北京钓鱼台国宾馆 → 北京钓鱼台国宾馆)."""
    said: list[str] = []
    for part in parts:
        if not part or any(part in earlier for earlier in said):
            continue
        if said and part.startswith(_LEVEL.sub("", said[-1]) or said[-1]):
            said[-1] = part
        else:
            said.append(part)
    return "".join(said)


def place_of(entry: Entry, with_venue: bool = True) -> str:
    """Province, city, county (and an event's venue), large to small."""
    province = province_name(entry.province) if entry.province else None
    return join_large_to_small([province, entry.city, entry.county, entry.venue if with_venue else None])
