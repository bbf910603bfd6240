"""A tile-grid map of China's provincial-level divisions, as data journalism draws one: each a
square at its approximate place, no boundaries (so no map data and no map approval involved).
Made at build time as inline SVG: every tile with entries links to its province page and has
an accessible name with its count; tiles are shaded by count. Works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from .schema import PROVINCES

# (column, row) of each province: north at the top, west on the left.
GRID: dict[str, tuple[int, int]] = {
    "黑龙江": (7, 0),
    "新疆": (0, 1), "内蒙古": (4, 1), "北京": (5, 1), "辽宁": (6, 1), "吉林": (7, 1),
    "青海": (1, 2), "甘肃": (2, 2), "宁夏": (3, 2), "山西": (4, 2), "河北": (5, 2), "天津": (6, 2),
    "西藏": (1, 3), "四川": (2, 3), "陕西": (3, 3), "河南": (4, 3), "山东": (5, 3),
    "重庆": (2, 4), "湖北": (3, 4), "安徽": (4, 4), "江苏": (5, 4), "上海": (6, 4),
    "云南": (1, 5), "贵州": (2, 5), "湖南": (3, 5), "江西": (4, 5), "浙江": (5, 5),
    "广西": (2, 6), "广东": (3, 6), "福建": (4, 6), "台湾": (5, 6),
    "海南": (2, 7), "澳门": (3, 7), "香港": (4, 7),
}  # fmt: skip
TILE = 52  # px, a square's side in the SVG's own units
GAP = 4
# Shade classes by count: 0, then counts up to each bound, then above the last. Their colours
# (light to the accent colour, text keeping 4.5:1 contrast) are in static/style.css.
BOUNDS = (0, 1, 3, 10)


@dataclass(frozen=True)
class Tile:
    province: str
    column: int
    row: int
    count: int
    url: str | None  # the province page, when it has one


def shade(count: int) -> int:
    """The shade class (0 to len(BOUNDS)) of a count."""
    return next((i for i, bound in enumerate(BOUNDS) if count <= bound), len(BOUNDS))


def tiles(counts: Mapping[str, int], urls: Mapping[str, str]) -> list[Tile]:
    """Every province once, in the order of schema.PROVINCES."""
    return [Tile(p, *GRID[p], counts.get(p, 0), urls.get(p)) for p in PROVINCES]


def legend() -> list[tuple[int, str]]:
    """(shade, label) of each shade, for the key under the map."""
    labels, low = [(0, "0")], 1
    for i, bound in enumerate(BOUNDS[1:], start=1):
        labels.append((i, str(low) if bound == low else f"{low}–{bound}"))
        low = bound + 1
    return [*labels, (len(BOUNDS), f"{low} 以上")]


def svg(items: list[Tile], what: str, url: Callable[[str], str], title: str) -> Markup:
    """The map as an <svg> element. `what` names the counted things in each tile's accessible
    name (宁夏：5 个小镇、园区与机构); `url` turns a site path into a link."""
    columns = max(t.column for t in items) + 1
    rows = max(t.row for t in items) + 1
    step = TILE + GAP
    width, height = columns * step - GAP, rows * step - GAP
    parts = [
        f'<svg class="tilemap" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="group" aria-label="{escape(title)}" font-size="13" text-anchor="middle">'
    ]
    for tile in items:
        x, y = tile.column * step, tile.row * step
        label = f"{tile.province}：{tile.count} 个{what}"
        body = (
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4"/>'
            f'<text x="{x + TILE / 2:g}" y="{y + 22}">{escape(tile.province)}</text>'
            f'<text x="{x + TILE / 2:g}" y="{y + 41}" font-weight="700">{tile.count}</text>'
        )
        common = f'class="shade-{shade(tile.count)}" aria-label="{escape(label)}"'
        if tile.url:
            parts.append(f'<a href="{escape(url(tile.url))}" {common}>{body}</a>')
        else:
            parts.append(f'<g {common} role="img">{body}</g>')
    parts.append("</svg>")
    return Markup("".join(parts))
