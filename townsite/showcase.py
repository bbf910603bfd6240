"""What visitors see beyond the entries themselves, as a render Feature: the province tile map
(home and provinces pages) and the HTML sitemap page (/sitemap/), which visitors are shown
instead of the XML sitemap and the Atom feed (browsers no longer render those as pages)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from markupsafe import Markup

from . import tilemap
from .model import Site
from .pages import EVERYTHING, PageSpec
from .templating import Renderer

SITEMAP_URL = "/sitemap/"
# Kinds shown on the map: the places and the organisations working with them (not events).
MAPPED_KINDS = ("town", "park", "org")
MAPPED_WHAT = "小镇、园区与机构"


def province_counts(site: Site) -> tuple[dict[str, int], dict[str, str]]:
    """(entries of MAPPED_KINDS per province, province page per province)."""
    counts: dict[str, int] = {}
    urls: dict[str, str] = {}
    for term in site.taxonomies["province"].terms:
        counts[term.name] = sum(1 for e in term.entries if e.kind in MAPPED_KINDS)
        if term.entries:
            urls[term.name] = term.url
    return counts, urls


class Showcase:
    """The Feature: `province_map()` and `map_legend` for templates, and the
    /sitemap/ page."""

    name = "showcase"

    def nav_items(self, site: Site) -> list[tuple[str, str]]:
        return []

    def pages(self, renderer: Renderer) -> Iterator[PageSpec]:
        site = renderer.site

        @cache
        def province_map() -> Markup:
            counts, urls = province_counts(site)
            title = f"各省份收录的{MAPPED_WHAT}数量"
            return tilemap.svg(tilemap.tiles(counts, urls), MAPPED_WHAT, renderer.url, title)

        renderer.env.globals.update(province_map=province_map, map_legend=tilemap.legend())
        page = {
            "title": "网站地图",
            "kind": "sitemap",
            "url": SITEMAP_URL,
            "summary": f"{renderer.config.title}的全部页面：特色小镇、产业园区、活动、页面与分类索引。",
        }
        yield PageSpec(SITEMAP_URL, "sitemap.html", {"page": page}, EVERYTHING)
